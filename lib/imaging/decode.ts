// decodeImage: the one entry point from an uploaded buffer to a DecodedImage with quality warnings.
import "server-only";
import { env } from "@/lib/env";
import { asImagingError } from "./errors";
import { CodecUnavailableError } from "./dicom/codec-pool";
import { decodeDicom } from "./dicom/decode-dicom";
import { decodeRaster } from "./raster-decode";
import { enforceQualityPolicy, qualityGates, type QualityGateMode } from "./quality-gates";
import type { DecodedImage } from "./types";
import { asBuffer, checkUploadBytes, type ValidateOptions } from "./validate";

export interface DecodeOptions extends ValidateOptions {
  /** Deadline for one compressed DICOM frame in a codec worker (default: 10 s + 1 s per megapixel). */
  codecTimeoutMs?: number;
  /** Overrides QUALITY_GATES: "warn" attaches warnings, "refuse" throws quality_refused (422). */
  qualityGates?: QualityGateMode;
}

/**
 * Decodes by content (magic bytes), never by name or Content-Type. Every failure is an
 * ImagingError with a code, an HTTP status and a message for the user; codec exceptions are kept
 * as `cause` for the server log.
 */
export async function decodeImage(input: Buffer | Uint8Array, opts: DecodeOptions = {}): Promise<DecodedImage> {
  const buf = asBuffer(input);
  const format = checkUploadBytes(buf, opts);
  let decoded: DecodedImage;
  try {
    decoded =
      format === "dicom"
        ? await decodeDicom(buf, { codecTimeoutMs: opts.codecTimeoutMs })
        : await decodeRaster(buf, format, { timeoutMs: opts.codecTimeoutMs });
  } catch (e) {
    if (e instanceof CodecUnavailableError) throw e; // a deployment fault, not the user's file
    throw asImagingError(e, format === "dicom" ? "DICOM file" : `${format.toUpperCase()} image`);
  }
  decoded.warnings.push(...qualityGates(decoded));
  enforceQualityPolicy(decoded.warnings, opts.qualityGates ?? env.QUALITY_GATES);
  return decoded;
}
