// Viewer images: an 8-bit greyscale PNG of the whole image and a thumbnail. DICOM goes through the
// standard display chain (PS3.3 C.11): Modality LUT (rescale) -> VOI (LUT, else the first window,
// else a robust min-max) -> MONOCHROME1 inverted so bone is white, as on a reading workstation.
import "server-only";
import { env } from "@/lib/env";
import sharp, { type PngOptions } from "sharp";
import type { DecodedImage, DisplaySource, VoiWindow } from "./types";
import { withDecodeMemory } from "./decode-memory";
import { decodeBytesPerPixel } from "./limits";
import { integerQuantiles, ROBUST_HIGH, ROBUST_LOW, valueRange } from "./value-stats";

export const THUMBNAIL_SIZE = 256;

export interface DisplayImages {
  full: Buffer;
  thumbnail: Buffer;
  width: number;
  height: number;
  /** How grey levels were chosen, for the viewer's caption. */
  mapping: "voi-lut" | "window" | "robust-minmax" | "as-stored";
  window?: VoiWindow;
}

/** Maps each stored value to 0..255 through a per-value table (stored values span at most 17 bits). */
function mapThroughTable(values: Int32Array | Uint16Array | Uint8Array, fn: (v: number) => number): Uint8Array {
  const [min, max] = valueRange(values);
  const lut = new Uint8Array(max - min + 1);
  for (let v = min; v <= max; v++) lut[v - min] = Math.max(0, Math.min(255, Math.round(fn(v))));
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = lut[values[i] - min];
  return out;
}

/** PS3.3 C.11.2.1.2: the three VOI LUT functions, output scaled to 0..255. */
export function applyWindow(x: number, w: VoiWindow, fn: "LINEAR" | "LINEAR_EXACT" | "SIGMOID"): number {
  const { center: c, width } = w;
  if (fn === "SIGMOID") return 255 / (1 + Math.exp((-4 * (x - c)) / width));
  if (fn === "LINEAR_EXACT") {
    if (x <= c - width / 2) return 0;
    if (x > c + width / 2) return 255;
    return ((x - c) / width + 0.5) * 255;
  }
  const wm1 = Math.max(width - 1, 1e-6); // LINEAR needs width >= 1; guard a width of exactly 1
  if (x <= c - 0.5 - wm1 / 2) return 0;
  if (x > c - 0.5 + wm1 / 2) return 255;
  return ((x - (c - 0.5)) / wm1 + 0.5) * 255;
}

function greyForDicom(src: Extract<DisplaySource, { kind: "dicom" }>): GreyResult {
  const { stored, rescaleSlope: m, rescaleIntercept: b } = src;
  const modality = (v: number) => v * m + b;
  let mapping: DisplayImages["mapping"];
  let window: VoiWindow | undefined;
  let fn: (v: number) => number;

  if (src.voiLut) {
    const lut = src.voiLut;
    const top = 2 ** lut.bitsPerEntry - 1;
    const last = lut.data.length - 1;
    mapping = "voi-lut";
    fn = (v) => {
      const i = Math.round(modality(v)) - lut.firstMapped;
      return (lut.data[i < 0 ? 0 : i > last ? last : i] / top) * 255;
    };
  } else if (src.windows.length > 0) {
    window = src.windows[0];
    mapping = "window";
    const w = window;
    fn = (v) => applyWindow(modality(v), w, src.voiLutFunction);
  } else {
    const [lo, hi] = integerQuantiles(stored, [ROBUST_LOW, ROBUST_HIGH]).map(modality).sort((a, c) => a - c);
    mapping = "robust-minmax";
    const span = Math.max(hi - lo, 1e-6);
    fn = (v) => ((modality(v) - lo) / span) * 255;
  }
  const invert = src.monochrome1;
  const grey = mapThroughTable(stored, invert ? (v) => 255 - fn(v) : fn);
  return { grey, mapping, window };
}

interface GreyResult {
  grey: Uint8Array;
  mapping: DisplayImages["mapping"];
  window?: VoiWindow;
}

function greyForRaster(src: Extract<DisplaySource, { kind: "raster" }>): GreyResult {
  // An 8-bit file was rendered for display by whoever exported it: show it as it is. 16-bit files
  // usually hold 10-14 bit detector data and look black unless stretched.
  if (src.maxval === 255 && src.grey instanceof Uint8Array) {
    return { grey: src.grey, mapping: "as-stored" };
  }
  const [lo, hi] = integerQuantiles(src.grey, [ROBUST_LOW, ROBUST_HIGH]);
  const span = Math.max(hi - lo, 1e-6);
  return { grey: mapThroughTable(src.grey, (v) => ((v - lo) / span) * 255), mapping: "robust-minmax" };
}

/** 8-bit grey values of the display image, row-major; exported for tests and for overlays. */
export function displayGrey(decoded: Pick<DecodedImage, "display">): GreyResult {
  return decoded.display.kind === "dicom" ? greyForDicom(decoded.display) : greyForRaster(decoded.display);
}

/**
 * The renderings' PNG settings. Every new upload pays for its renderings on the worker, where deflate at
 * zlib level 6 cost three times the rest of the encoding (5.5 against 1.5 core-ms for a 512 px film) to
 * save 10% of the bytes of a noisy film and 30-40% of a real one, so by default they are stored
 * undeflated (one byte a pixel; the thumbnail at most 64 KB); RENDERING_PNG_COMPRESSION trades CPU for
 * bytes. Lossless at any level: the decoded pixels are the same (display.test.ts).
 */
function renderingPng(compressionLevel: number): PngOptions {
  return { compressionLevel, adaptiveFiltering: false };
}

/** What the renderings are made from: a decoded image without its model-scale pixels. */
export type DisplayImageSource = Pick<DecodedImage, "width" | "height" | "display">;

export async function renderDisplayImages(
  decoded: DisplayImageSource,
  opts: { compressionLevel?: number } = {},
): Promise<DisplayImages> {
  const bytes = decoded.width * decoded.height * decodeBytesPerPixel("render");
  const png = renderingPng(opts.compressionLevel ?? env.RENDERING_PNG_COMPRESSION);
  return withDecodeMemory(bytes, `display rendering of ${decoded.width} x ${decoded.height} pixels`, () => render(decoded, png));
}

async function render(decoded: DisplayImageSource, png: PngOptions): Promise<DisplayImages> {
  const { grey, mapping, window } = displayGrey(decoded);
  const raw = { raw: { width: decoded.width, height: decoded.height, channels: 1 as const } };
  const [full, thumbnail] = await Promise.all([
    // toColourspace keeps one channel: without it sharp writes raw grey as RGB.
    sharp(grey, raw).toColourspace("b-w").png(png).toBuffer(),
    sharp(grey, raw)
      .toColourspace("b-w")
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: "inside", withoutEnlargement: true, kernel: "lanczos3" })
      .png(png)
      .toBuffer(),
  ]);
  return { full, thumbnail, width: decoded.width, height: decoded.height, mapping, ...(window ? { window } : {}) };
}
