// PNG / JPEG / WebP / TIFF through sharp (libvips). Pixels stay at their stored bit depth and the
// first channel is taken, as TorchXRayVision's load_image does (skimage.io.imread, then img[:, :, 0]).
import "server-only";
import sharp, { type Metadata, type OutputInfo } from "sharp";
import { asImagingError, ImagingError } from "./errors";
import { checkDimensions } from "./validate-dimensions";
import { decodeBytesPerPixel, DIMENSION_LIMITS } from "./limits";
import { withDecodeMemory } from "./decode-memory";
import { takePixelBuffer } from "./pixel-pool";
import { scaleInterleaved, scaleLut } from "./xrv-scale";
import type { DecodedImage, ImageFormat, QualityWarning, RasterMetadata } from "./types";

// Embedded ICC profiles are ignored: the reference decoder (skimage/PIL) ignores them too, and a
// colour-managed conversion would move every grey level of a radiograph exported with a profile.
function open(buf: Buffer, timeoutMs: number, failOn: "error" | "warning" = "error") {
  const img = sharp(buf, {
    autoOrient: true,
    ignoreIcc: true,
    // Truncated or broken pixel data is an error, benign decoder warnings are not.
    failOn,
    limitInputPixels: DIMENSION_LIMITS.maxPixels,
    sequentialRead: true,
  });
  // libvips runs off the event loop, but a pathological file could still hold a thread for long.
  return img.timeout({ seconds: Math.max(1, Math.ceil(timeoutMs / 1000)) });
}

/** Header-only probe: format, dimensions, depth and channel count, without decoding pixels. */
export async function probeRaster(buf: Buffer, format: ImageFormat) {
  let meta: Metadata;
  try {
    meta = await sharp(buf, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw asImagingError(e, `${format.toUpperCase()} header`);
  }
  if (!meta.width || !meta.height) {
    throw new ImagingError("corrupt", `The ${format.toUpperCase()} file does not state its image size.`);
  }
  checkDimensions(meta.width, meta.height);
  if (meta.depth !== "uchar" && meta.depth !== "ushort") {
    throw new ImagingError(
      "unsupported_bit_depth",
      `${format.toUpperCase()} images with ${meta.depth ?? "unknown"} samples are not supported; use 8- or 16-bit unsigned grey or RGB.`,
    );
  }
  return meta;
}

export async function decodeRaster(buf: Buffer, format: ImageFormat, opts: { timeoutMs?: number } = {}): Promise<DecodedImage> {
  const meta = await probeRaster(buf, format);
  const sixteen = meta.depth === "ushort";
  const grey = (meta.channels ?? 3) <= 2 && meta.space !== "srgb" && meta.space !== "rgb16";
  const bytes = meta.width! * meta.height! * decodeBytesPerPixel("raster", sixteen ? 2 : 1, grey ? 1 : 3);
  const what = `${sixteen ? 16 : 8}-bit ${format.toUpperCase()} image of ${meta.width} x ${meta.height} pixels`;
  return withDecodeMemory(bytes, what, () => decodeProbed(buf, format, meta, sixteen, grey, opts));
}

async function decodeProbed(
  buf: Buffer,
  format: ImageFormat,
  meta: Metadata,
  sixteen: boolean,
  grey: boolean,
  opts: { timeoutMs?: number },
): Promise<DecodedImage> {
  const target = grey ? (sixteen ? "grey16" : "b-w") : sixteen ? "rgb16" : "srgb";

  let data: Buffer;
  let info: OutputInfo;
  const read = (failOn: "error" | "warning") =>
    open(buf, opts.timeoutMs ?? 30_000, failOn)
      .toColourspace(target)
      .raw({ depth: sixteen ? "ushort" : "uchar" })
      .toBuffer({ resolveWithObject: true });
  try {
    ({ data, info } = format === "jpeg" ? await readJpegWhole(read) : await read("error"));
  } catch (e) {
    if (e instanceof Error && /timeout/i.test(e.message)) {
      throw new ImagingError("decode_timeout", `Decoding the ${format.toUpperCase()} image took too long: the file may be damaged, or the server was overloaded. It is tried again.`, {
        cause: e,
      });
    }
    if (e instanceof ImagingError) throw e;
    if (e instanceof Error && /premature end of (JPEG|input)|truncated|unexpected end/i.test(e.message)) {
      throw new ImagingError("truncated", `The ${format.toUpperCase()} image data ends early: the file is truncated.`, { cause: e });
    }
    throw asImagingError(e, `${format.toUpperCase()} image`);
  }

  const { width, height, channels } = info;
  checkDimensions(width, height);
  const maxval = sixteen ? 65535 : 255;
  // sharp's 16-bit raw output is native-endian; copy if the buffer is not 2-byte aligned.
  const aligned = sixteen && data.byteOffset % 2 !== 0 ? new Uint8Array(data) : data;
  const samples = sixteen
    ? new Uint16Array(aligned.buffer, aligned.byteOffset, Math.floor(aligned.length / 2))
    : new Uint8Array(data.buffer, data.byteOffset, data.length);
  const pixelCount = width * height;
  if (samples.length < pixelCount * channels) {
    throw new ImagingError("truncated", `The ${format.toUpperCase()} image data ended early.`);
  }

  const { grey: firstChannel, pixels, colour } = splitFirstChannel(samples, pixelCount, channels, maxval);
  const warnings: QualityWarning[] = [];
  if ((meta.pages ?? 1) > 1) {
    warnings.push({
      code: "multi_frame",
      message: `The file holds ${meta.pages} images; only the first was analysed.`,
    });
  }

  const metadata: RasterMetadata = {
    kind: "raster",
    bitDepth: sixteen ? 16 : 8,
    channels: meta.channels ?? channels,
    hasAlpha: meta.hasAlpha ?? false,
    colour,
    ...(meta.orientation ? { exifOrientation: meta.orientation } : {}),
  };

  return {
    format,
    width,
    height,
    pixels,
    metadata,
    warnings,
    display: { kind: "raster", grey: firstChannel, maxval },
  };
}

/**
 * libjpeg reports a scan that ends before the rows its frame header promises only as a warning
 * ("premature end of data segment") and fills the rest grey, so a JPEG whose header claims more rows
 * than it holds would be analysed. Warnings are fatal on the strict read (sharp's per-call `failOn`),
 * so that the strict read FAILED is this decode's own fact. Its message is not: libvips keeps one
 * process-wide error buffer, and under concurrency a failed decode may read another's message, two
 * messages joined, or nothing (measured: 2 of 16 cut files passed at concurrency 16 when every
 * unrecognised message meant "benign"). So a failure is only forgiven when the message names a
 * known-benign warning and nothing else, on two strict reads (of up to four), and refused as cut when
 * a cut was read twice (one reading may be borrowed); anything else is refused.
 */
const BENIGN_JPEG_WARNINGS = [
  /extraneous bytes before marker/i,
  /bad ICC marker/i,
  /unknown Adobe colou?r transform/i,
  /invalid SOS parameters for sequential JPEG/i,
  /JFIF extension marker/i,
];
const CUT_OFF = /premature end of (JPEG file|JPEG image|input)|truncated|unexpected end/i;
const PREMATURE = /premature end of data segment/i;

/** Each line of a libvips error message, without its "VipsJpeg: " prefix and "Corrupt JPEG data: ". */
function warningLines(message: string): string[] {
  return message
    .split("\n")
    .map((l) => l.replace(/^\s*\w+:\s*/, "").trim())
    .filter((l) => l.length > 0);
}

/** Only benign warnings were named (an empty message, possibly taken by another decode, is not). */
function onlyBenign(message: string): boolean {
  const lines = warningLines(message);
  return lines.length > 0 && lines.every((l) => BENIGN_JPEG_WARNINGS.some((re) => re.test(l)));
}

const prematureEnd = (cause: unknown) =>
  new ImagingError(
    "header_mismatch",
    "The JPEG image data ends before all the rows its header promises: the file is truncated or its header is wrong.",
    { cause },
  );

async function readJpegWhole<T>(read: (failOn: "error" | "warning") => Promise<T>): Promise<T> {
  let last: unknown;
  let benign = 0;
  let cut: ImagingError | null = null;
  // Up to four strict reads, and a verdict only when a message was read twice: under concurrency one
  // reading may be another decode's (a cut film's "premature end" beside a film with a benign warning,
  // or the other way round), two readings of the same kind are this decode's.
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      return await read("warning");
    } catch (e) {
      last = e;
      const message = e instanceof Error ? e.message : String(e);
      if (/timeout/i.test(message)) throw e;
      const seen = CUT_OFF.test(message)
        ? new ImagingError("truncated", "The JPEG image data ends early: the file is truncated.", { cause: e })
        : PREMATURE.test(message)
          ? prematureEnd(e)
          : null;
      if (seen) {
        if (cut) throw cut;
        cut = seen;
      } else if (onlyBenign(message) && ++benign === 2) return read("error");
    }
  }
  if (cut) throw cut;
  throw new ImagingError("corrupt", "The JPEG image could not be decoded cleanly: its data is damaged or incomplete.", { cause: last });
}

/**
 * A colour photograph differs between channels almost everywhere; a grey radiograph saved as RGB
 * (or as a chroma-subsampled JPEG) differs by a few levels at most. More than 2% of pixels with a
 * channel spread above 1/16 of full scale is treated as a colour image. Every 7th pixel is
 * checked: the answer is about the whole picture, and uploads are decoded on the request path.
 */
const COLOUR_STEP = 7;

/**
 * From the decoded samples: the first channel as stored (for display), the same scaled to the model
 * range, and the colour test on the other channels. The first channel is moved to the front of the
 * samples in place rather than copied out: the decoded samples are this decode's own, and a copy was a
 * third of a megabyte of garbage per 512 px upload.
 */
function splitFirstChannel(samples: Uint8Array | Uint16Array, pixelCount: number, stride: number, maxval: number) {
  if (stride === 1) return { grey: samples, pixels: scaleInterleaved(samples, pixelCount, 1, 0, maxval), colour: false };
  // Before the move below, which overwrites the other channels.
  const colour = stride >= 3 && hasColour(samples, pixelCount, stride, maxval);
  const pixels = takePixelBuffer(pixelCount);
  const lut = scaleLut(maxval);
  // Pixel i moves to index i, never after where it was read (i * stride), and every later read is past i.
  for (let i = 0, p = 0; i < pixelCount; i++, p += stride) {
    const v = samples[p];
    samples[i] = v;
    pixels[i] = lut[v];
  }
  return { grey: samples.subarray(0, pixelCount), pixels, colour };
}

/**
 * The colour test over every COLOUR_STEP-th pixel, in a loop of its own: inside the loop that moves the
 * first channel, its counter and branch made that loop about twice as slow.
 */
function hasColour(samples: Uint8Array | Uint16Array, pixelCount: number, stride: number, maxval: number): boolean {
  const threshold = maxval / 16;
  let colourful = 0;
  for (let p = 0, end = pixelCount * stride, step = COLOUR_STEP * stride; p < end; p += step) {
    const r = samples[p];
    const g = samples[p + 1];
    const b = samples[p + 2];
    const rg = r > g ? r - g : g - r;
    const gb = g > b ? g - b : b - g;
    const rb = r > b ? r - b : b - r;
    if (rg > threshold || gb > threshold || rb > threshold) colourful++;
  }
  return colourful > (pixelCount / COLOUR_STEP) * 0.02;
}
