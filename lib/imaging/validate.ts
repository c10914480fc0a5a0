// Upload validation that runs before decoding: size, content type by magic bytes, and the image
// dimensions read from the header (so a small file that claims a huge image is refused unread).
import "server-only";
import { env } from "@/lib/env";
import { asImagingError, ImagingError } from "./errors";
import { sniffFormat } from "./sniff";
import { probeRaster } from "./raster-decode";
import { probeDicom } from "./dicom/decode-dicom";
import type { ImageFormat } from "./types";

export interface ValidateOptions {
  /** Upload limit in bytes; defaults to MAX_UPLOAD_MB. */
  maxBytes?: number;
  /**
   * The client's file name. Never used to pick a decoder (it is client-controlled); only to give a
   * more helpful message when a ".dcm" file lacks the DICOM Part 10 header. Never echoed back,
   * since file names often contain patient names.
   */
  fileName?: string;
}

export interface UploadInfo {
  format: ImageFormat;
  width: number;
  height: number;
  bytes: number;
}

const MB = 1024 * 1024;

export function defaultMaxBytes(): number {
  return Math.floor(env.MAX_UPLOAD_MB * MB);
}

/** Accepts any Uint8Array (e.g. from a web Request) without copying. */
export function asBuffer(buf: Buffer | Uint8Array): Buffer {
  return Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Size and magic-byte checks only; returns the detected format. */
export function checkUploadBytes(buf: Buffer, opts: ValidateOptions = {}): ImageFormat {
  if (!(buf instanceof Uint8Array) || buf.length === 0) {
    throw new ImagingError("empty_file", "The uploaded file is empty.");
  }
  const maxBytes = opts.maxBytes ?? defaultMaxBytes();
  if (buf.length > maxBytes) {
    throw new ImagingError(
      "too_large",
      `The file is ${(buf.length / MB).toFixed(1)} MB; the limit is ${(maxBytes / MB).toFixed(0)} MB.`,
    );
  }
  const format = sniffFormat(buf);
  if (!format) {
    const looksDicom = /\.(dcm|dicom)$/i.test(opts.fileName ?? "");
    throw new ImagingError(
      "unsupported_format",
      looksDicom
        ? "The file is named as DICOM but has no DICOM Part 10 header (128-byte preamble and \"DICM\"). Export it as a DICOM Part 10 file."
        : "The file is not a supported image. Upload DICOM, PNG, JPEG, WebP or TIFF.",
    );
  }
  return format;
}

/** Full pre-decode validation: size, format and header dimensions. */
export async function validateUpload(input: Buffer | Uint8Array, opts: ValidateOptions = {}): Promise<UploadInfo> {
  const buf = asBuffer(input);
  const format = checkUploadBytes(buf, opts);
  if (format === "dicom") {
    let h;
    try {
      h = probeDicom(buf);
    } catch (e) {
      throw asImagingError(e, "DICOM file");
    }
    return { format, width: h.columns, height: h.rows, bytes: buf.length };
  }
  const meta = await probeRaster(buf, format);
  const swap = (meta.orientation ?? 1) >= 5; // EXIF orientations 5-8 rotate by 90 degrees
  return {
    format,
    width: swap ? meta.height! : meta.width!,
    height: swap ? meta.width! : meta.height!,
    bytes: buf.length,
  };
}
