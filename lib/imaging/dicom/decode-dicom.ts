// DICOM Part 10 to the model scale, as TorchXRayVision's read_xray_dcm does: stored values of the
// first frame (no rescale, no VOI), MONOCHROME1 inverted as (2^BitsStored - 1) - v, then
// normalize(v, 2^BitsStored - 1).
import "server-only";
import type { DecodedImage, QualityWarning } from "../types";
import type { DataSet } from "dicom-parser";
import { withDecodeMemory } from "../decode-memory";
import { ImagingError } from "../errors";
import { decodeBytesPerPixel } from "../limits";
import { scaleStored } from "../xrv-scale";
import { decodeJpeg2000, decodeJpegFamily } from "./codecs";
import { readDisplayParams } from "./display-params";
import { checkNoSurplus, nativeFrameBytes, readFirstFrame } from "./frame";
import { readPixelModule, type PixelModule } from "./pixel-module";
import { readDicomMetadata } from "./metadata";
import { parseDicomFile, transferSyntaxOf } from "./parse";
import { decodeRle } from "./rle";
import { storedFromNative, storedFromSamples } from "./stored-values";

/** Parses up to the pixel data and checks the header; no pixel is decoded. */
export function probeDicom(buf: Buffer): PixelModule {
  const ds = parseDicomFile(buf);
  return readPixelModule(ds, transferSyntaxOf(ds));
}

export interface DicomDecodeOptions {
  /** Deadline for one compressed frame in a codec worker; by default the pool budgets by pixel count. */
  codecTimeoutMs?: number;
}

async function storedValues(frame: Uint8Array, header: PixelModule, opts: DicomDecodeOptions): Promise<Int32Array> {
  const ts = header.transferSyntax;
  const pixelCount = header.rows * header.columns;
  const req = {
    data: frame,
    rows: header.rows,
    columns: header.columns,
    syntax: ts.name,
    encoding: ts.encoding,
    bitsAllocated: header.bitsAllocated,
    timeoutMs: opts.codecTimeoutMs,
  };
  switch (ts.encoding) {
    case "native":
      return storedFromNative(frame, header, ts.bigEndian === true);
    case "encapsulated-native":
      if (frame.length < nativeFrameBytes(header)) {
        throw new ImagingError("truncated", "The DICOM pixel data ends early: the file is truncated.");
      }
      checkNoSurplus(frame.length, header, 1);
      return storedFromNative(frame, header, false);
    case "rle":
      return storedFromNative(decodeRle(frame, pixelCount, header.bitsAllocated / 8), header, false);
    case "jpeg-baseline":
    case "jpeg-lossless":
    case "jpeg-ls":
      return storedFromSamples(await decodeJpegFamily(req), header);
    case "jpeg2000":
      return storedFromSamples(await decodeJpeg2000(req), header);
    case "htj2k":
      return storedFromSamples(await decodeJpeg2000(req, { highThroughput: true }), header);
  }
}

export async function decodeDicom(buf: Buffer, opts: DicomDecodeOptions = {}): Promise<DecodedImage> {
  const ds = parseDicomFile(buf);
  const header = readPixelModule(ds, transferSyntaxOf(ds));
  const bytes = header.rows * header.columns * decodeBytesPerPixel("dicom", header.bitsAllocated / 8);
  const what = `DICOM image of ${header.columns} x ${header.rows} pixels`;
  return withDecodeMemory(bytes, what, () => decodeParsed(ds, header, opts));
}

async function decodeParsed(ds: DataSet, header: PixelModule, opts: DicomDecodeOptions): Promise<DecodedImage> {
  const frame = readFirstFrame(ds, header);
  const stored = await storedValues(frame, header, opts);

  const maxval = 2 ** header.bitsStored - 1;
  const monochrome1 = header.photometric === "MONOCHROME1";
  let modelValues = stored;
  if (monochrome1) {
    modelValues = new Int32Array(stored.length);
    for (let i = 0; i < stored.length; i++) modelValues[i] = maxval - stored[i];
  }

  const warnings: QualityWarning[] = [];
  if (header.frames > 1) {
    warnings.push({
      code: "multi_frame",
      message: `The DICOM file holds ${header.frames} frames; only the first was analysed.`,
    });
  }

  return {
    format: "dicom",
    width: header.columns,
    height: header.rows,
    pixels: scaleStored(modelValues, maxval),
    metadata: readDicomMetadata(ds, header),
    warnings,
    display: readDisplayParams(ds, stored, header.pixelRepresentation, monochrome1),
  };
}
