// Compressed-frame decoding: the codestream header is checked here against the DICOM header (so no
// codec allocates for a size nobody validated), then the frame goes to a codec worker thread:
// CharLS, libjpeg-turbo, OpenJPEG and OpenJPH (cornerstonejs WASM builds), jpeg-lossless-decoder-js, or
// for 12-bit lossy JPEG this project's own decoder (jpeg-extended.mjs).
import "server-only";
import { ImagingError } from "../errors";
import { runCodec, type CodecName } from "./codec-pool";
import { checkJ2kTileParts, readJ2kInfo, readJpegInfo, type CodestreamInfo } from "./codestream-info";
import type { PixelEncoding } from "./transfer-syntaxes";

export interface FrameRequest {
  data: Uint8Array;
  rows: number;
  columns: number;
  /** Transfer syntax name, for messages. */
  syntax: string;
  /** The compression the transfer syntax names; the codestream must be that one. */
  encoding: PixelEncoding;
  /** Bits Allocated of the DICOM header: a codestream with wider samples contradicts it. */
  bitsAllocated: number;
  /** Explicit deadline for the decode; by default the pool budgets by pixel count. */
  timeoutMs?: number;
}

/** Container samples: Uint8Array for precision <= 8, else Uint16Array (bit pattern, sign kept). */
export type FrameSamples = Uint8Array | Uint16Array;

function expectMatch(info: CodestreamInfo, req: FrameRequest): void {
  if (info.precision > req.bitsAllocated) {
    throw new ImagingError(
      "header_mismatch",
      `The ${req.syntax} frame holds ${info.precision}-bit samples but the DICOM header says ${req.bitsAllocated} bits allocated.`,
    );
  }
  if (info.width !== req.columns || info.height !== req.rows) {
    throw new ImagingError(
      "corrupt",
      `The ${req.syntax} frame is ${info.width} x ${info.height} pixels but the DICOM header says ${req.columns} x ${req.rows}.`,
    );
  }
  if (info.components !== 1) {
    throw new ImagingError("corrupt", `The ${req.syntax} frame has ${info.components} colour components; a radiograph has one.`);
  }
}

async function decodeWith(codec: CodecName, req: FrameRequest, precision: number): Promise<FrameSamples> {
  const { bytesPerSample, samples } = await runCodec({
    codec,
    data: req.data,
    rows: req.rows,
    columns: req.columns,
    precision,
    timeoutMs: req.timeoutMs,
    syntax: req.syntax,
  });
  const count = req.rows * req.columns;
  return bytesPerSample === 1 ? new Uint8Array(samples, 0, count) : new Uint16Array(samples, 0, count);
}

const LOSSLESS_SOF = new Set([0xc3, 0xc7, 0xcb, 0xcf]);
const JPEG_LS_SOF = 0xf7;

function codestreamName(sof: number): string {
  if (sof === JPEG_LS_SOF) return "JPEG-LS";
  if (LOSSLESS_SOF.has(sof)) return "lossless JPEG";
  return "lossy (DCT) JPEG";
}

/** The compression the codestream's frame header names must be the one the transfer syntax names. */
function expectSyntax(sof: number, req: FrameRequest): void {
  const found = sof === JPEG_LS_SOF ? "jpeg-ls" : LOSSLESS_SOF.has(sof) ? "jpeg-lossless" : "jpeg-baseline";
  if (found !== req.encoding) {
    throw new ImagingError(
      "syntax_mismatch",
      `The transfer syntax is ${req.syntax} but the frame is ${codestreamName(sof)}: the file is mislabelled. Re-export it from the source system.`,
    );
  }
}

/**
 * Every JPEG codestream ends with EOI (FF D9), optionally followed by DICOM's zero pad byte. Without it
 * the frame was cut: the lossless decoder returns the missing rows as zeros and CharLS spins for
 * seconds on the missing data, so a cut frame is refused before any codec runs.
 */
function endsWithEoi(data: Uint8Array): boolean {
  let end = data.length;
  while (end > 0 && end > data.length - 16 && data[end - 1] === 0) end--;
  return end >= 2 && data[end - 2] === 0xff && data[end - 1] === 0xd9;
}

/** JPEG family (baseline, extended, lossless, JPEG-LS), checked against the transfer syntax, then decoded. */
export async function decodeJpegFamily(req: FrameRequest): Promise<FrameSamples> {
  const info = readJpegInfo(req.data);
  expectMatch(info, req);
  expectSyntax(info.sof ?? 0, req);
  if (!endsWithEoi(req.data)) {
    throw new ImagingError("truncated", `The ${req.syntax} frame ends early (no end-of-image marker): the file is truncated.`);
  }
  if (info.precision < 2 || info.precision > 16) {
    throw new ImagingError("corrupt", `The ${req.syntax} frame declares ${info.precision}-bit samples.`);
  }
  const sof = info.sof ?? 0;
  if (sof === 0xf7) return decodeWith("charls", req, info.precision);
  if (sof === 0xc3 || sof === 0xc7 || sof === 0xcb || sof === 0xcf) return decodeWith("jpeg-lossless", req, info.precision);
  if (info.precision === 8) return decodeWith("libjpeg", req, 8);
  // libjpeg-turbo's WASM build reads 8-bit samples only; 12-bit sequential frames (process 4) go to
  // the project's own IJG-exact decoder. Progressive and arithmetic 12-bit frames remain unsupported.
  if (info.precision === 12 && (sof === 0xc0 || sof === 0xc1)) return decodeWith("jpeg-extended", req, 12);
  throw new ImagingError(
    "unsupported_transfer_syntax",
    `${req.syntax} with ${info.precision}-bit ${sof === 0xc2 || sof === 0xc6 ? "progressive " : ""}frames is not supported ` +
      "(8-bit lossy and 12-bit sequential JPEG are). Export the image uncompressed or with a lossless syntax.",
  );
}

/**
 * A JPEG 2000 codestream ends with EOC (FF D9); DICOM may pad the fragment with one zero byte. The
 * position of the EOC marker, or -1.
 */
function eocPosition(data: Uint8Array): number {
  let end = data.length;
  if (end > 0 && data[end - 1] === 0) end--;
  return end >= 2 && data[end - 2] === 0xff && data[end - 1] === 0xd9 ? end - 2 : -1;
}

/**
 * JPEG 2000 (Part 1) by OpenJPEG; High-Throughput JPEG 2000 (Part 15), whose codestream starts with the
 * same SIZ header, by OpenJPH, the reference HTJ2K implementation.
 */
export async function decodeJpeg2000(req: FrameRequest, { highThroughput = false } = {}): Promise<FrameSamples> {
  const info = readJ2kInfo(req.data);
  expectMatch(info, req);
  const eoc = eocPosition(req.data);
  if (eoc < 0) {
    // Both codecs decode what arrived of a cut-off codestream and return the rest blank, which the
    // model would score as if it were the whole film.
    throw new ImagingError("truncated", `The ${req.syntax} frame ends early (no end-of-codestream marker): the file is truncated.`);
  }
  checkJ2kTileParts(req.data, eoc);
  if (info.precision > 16) {
    throw new ImagingError("unsupported_bit_depth", `JPEG 2000 frames with ${info.precision}-bit samples are not supported.`);
  }
  return decodeWith(highThroughput ? "openjph" : "openjpeg", req, info.precision);
}
