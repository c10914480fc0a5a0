// Model input exactly as TorchXRayVision builds it: XRayCenterCrop, then
// torch.nn.functional.interpolate(x, (224, 224), mode="bilinear", antialias=True, align_corners=False).
// sharp's 8-bit kernels miss the reference by enough to move calibrated scores, so the
// resample is done here, in float32 like torch's CPU kernel, with weights computed the way torch does
// and every tap rounded the way its compiled loop rounds it (see firstFusedTap): the result equals the
// reference tensors bit for bit.
import { fmaFloat32 as fma } from "./fused-multiply-add";
import { takePixelBuffer } from "./pixel-pool";
import type { GreyImage } from "./types";

export const MODEL_INPUT_SIZE = 224;

export interface CropWindow {
  x: number;
  y: number;
  size: number;
}

/** XRayCenterCrop: a square on the short side, start = size // 2 - crop // 2 on each axis. */
export function centerCrop(width: number, height: number): CropWindow {
  const size = Math.min(width, height);
  return {
    x: Math.floor(width / 2) - Math.floor(size / 2),
    y: Math.floor(height / 2) - Math.floor(size / 2),
    size,
  };
}

interface AxisWeights {
  /** First source index per output index. */
  start: Int32Array;
  /** Taps per output index. */
  count: Int32Array;
  /** Weights, `taps` slots per output index, already normalised to sum to 1. */
  weights: Float32Array;
  taps: number;
}

const f = Math.fround;
const weightCache = new Map<string, AxisWeights>();

/**
 * Triangle-filter weights of torch's `_compute_weights_aa` (UpSampleKernel.cpp) for one axis. The
 * scale is input/output in float; centre and filter argument are narrowed to float as the C++ does.
 */
function axisWeights(inSize: number, outSize: number): AxisWeights {
  const key = `${inSize}>${outSize}`;
  const cached = weightCache.get(key);
  if (cached) return cached;

  const scale = f(inSize / outSize);
  const support = scale >= 1 ? scale : 1; // interp_size (2) * 0.5, widened by the scale when shrinking
  const invscale = scale >= 1 ? f(1 / scale) : 1;
  const taps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float32Array(outSize * taps);

  for (let i = 0; i < outSize; i++) {
    const center = f(scale * (i + 0.5));
    // C++ casts to int64 (truncation toward zero); the arguments are never below -1 here.
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xsize = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let total = 0;
    for (let j = 0; j < xsize; j++) {
      const x = Math.abs(f(f(j + xmin - center + 0.5) * invscale));
      const w = x < 1 ? f(1 - x) : 0;
      weights[i * taps + j] = w;
      total = f(total + w);
    }
    if (total !== 0) {
      for (let j = 0; j < xsize; j++) weights[i * taps + j] = f(weights[i * taps + j] / total);
    }
    start[i] = xmin;
    count[i] = xsize;
  }

  const result: AxisWeights = { start, count, weights, taps };
  if (weightCache.size > 64) weightCache.clear(); // sizes vary per upload; keep the cache bounded
  weightCache.set(key, result);
  return result;
}

/**
 * torch's per-output loop `out = x[0] * w[0]; for j in 1..n-1: out += x[j] * w[j]` is compiled (GCC,
 * AVX2 and AVX-512 builds) into blocks of four taps whose products are rounded before the in-order
 * adds, and a scalar tail of the remaining (n - 1) % 4 taps fused into one multiply-add each. The
 * first tap of that tail is returned; taps before it round twice, taps from it on round once. Found by
 * matching torch 1.13's output on random rows tap for tap; it reproduces the reference tensors exactly.
 */
function firstFusedTap(taps: number): number {
  return taps - ((taps - 1) % 4);
}

// The horizontal pass's intermediate rows, kept between calls up to a few megabytes (a 4000-row
// film): made anew for every image they are garbage the collector has to find. Only this synchronous
// function uses the buffer, so one per thread suffices; rarer, larger films get their own.
const KEPT_SCRATCH = 1 << 20;
let rowsScratch = new Float32Array(0);
function scratchRows(length: number): Float32Array {
  if (length > KEPT_SCRATCH) return new Float32Array(length);
  if (rowsScratch.length < length) rowsScratch = new Float32Array(length);
  return rowsScratch;
}

/**
 * Antialiased bilinear resize of a square or rectangular window of a single-channel float image.
 * Width first, then height, as torch's separable kernel runs; sums accumulate in float32, in torch's
 * order and with its roundings.
 */
export function resizeAntialiasBilinear(
  src: Float32Array,
  srcStride: number,
  win: { x: number; y: number; width: number; height: number },
  outWidth: number,
  outHeight: number,
): Float32Array {
  const wx = axisWeights(win.width, outWidth);
  const wy = axisWeights(win.height, outHeight);

  // Horizontal pass over every source row of the window. Arrays are hoisted into locals so the
  // inner loops stay monomorphic typed-array accesses. Each output is one serial chain of float32
  // adds (the order torch adds in, so it cannot be regrouped); four rows share one set of taps and run
  // their four chains side by side, which the CPU overlaps instead of waiting on each add in turn.
  const xStart = wx.start;
  const xCount = wx.count;
  const xW = wx.weights;
  const xTaps = wx.taps;
  const tmp = scratchRows(win.height * outWidth);
  let r = 0;
  for (; r + 4 <= win.height; r += 4) {
    const rowBase = (win.y + r) * srcStride + win.x;
    const outBase = r * outWidth;
    for (let i = 0; i < outWidth; i++) {
      const n = xCount[i];
      const wBase = i * xTaps;
      const p0 = rowBase + xStart[i];
      const p1 = p0 + srcStride;
      const p2 = p1 + srcStride;
      const p3 = p2 + srcStride;
      const w0 = xW[wBase];
      let a0 = f(src[p0] * w0);
      let a1 = f(src[p1] * w0);
      let a2 = f(src[p2] * w0);
      let a3 = f(src[p3] * w0);
      const fusedFrom = firstFusedTap(n);
      for (let j = 1; j < fusedFrom; j++) {
        const w = xW[wBase + j];
        a0 = f(a0 + f(src[p0 + j] * w));
        a1 = f(a1 + f(src[p1 + j] * w));
        a2 = f(a2 + f(src[p2 + j] * w));
        a3 = f(a3 + f(src[p3 + j] * w));
      }
      for (let j = fusedFrom; j < n; j++) {
        const w = xW[wBase + j];
        a0 = fma(src[p0 + j], w, a0);
        a1 = fma(src[p1 + j], w, a1);
        a2 = fma(src[p2 + j], w, a2);
        a3 = fma(src[p3 + j], w, a3);
      }
      tmp[outBase + i] = a0;
      tmp[outBase + outWidth + i] = a1;
      tmp[outBase + 2 * outWidth + i] = a2;
      tmp[outBase + 3 * outWidth + i] = a3;
    }
  }
  for (; r < win.height; r++) {
    const rowBase = (win.y + r) * srcStride + win.x;
    const outBase = r * outWidth;
    for (let i = 0; i < outWidth; i++) {
      const n = xCount[i];
      const wBase = i * xTaps;
      const p0 = rowBase + xStart[i];
      let acc = f(src[p0] * xW[wBase]);
      const fusedFrom = firstFusedTap(n);
      for (let j = 1; j < fusedFrom; j++) acc = f(acc + f(src[p0 + j] * xW[wBase + j]));
      for (let j = fusedFrom; j < n; j++) acc = fma(src[p0 + j], xW[wBase + j], acc);
      tmp[outBase + i] = acc;
    }
  }

  // Vertical pass, row by row so the inner loop walks memory contiguously.
  const yStart = wy.start;
  const yCount = wy.count;
  const yW = wy.weights;
  const yTaps = wy.taps;
  const out = takePixelBuffer(outWidth * outHeight);
  for (let i = 0; i < outHeight; i++) {
    const n = yCount[i];
    const wBase = i * yTaps;
    const outBase = i * outWidth;
    const r0 = yStart[i] * outWidth;
    const w0 = yW[wBase];
    for (let c = 0; c < outWidth; c++) out[outBase + c] = f(tmp[r0 + c] * w0);
    const fusedFrom = firstFusedTap(n);
    for (let j = 1; j < fusedFrom; j++) {
      const w = yW[wBase + j];
      const rj = r0 + j * outWidth;
      for (let c = 0; c < outWidth; c++) out[outBase + c] = f(out[outBase + c] + f(tmp[rj + c] * w));
    }
    for (let j = fusedFrom; j < n; j++) {
      const w = yW[wBase + j];
      const rj = r0 + j * outWidth;
      for (let c = 0; c < outWidth; c++) out[outBase + c] = fma(tmp[rj + c], w, out[outBase + c]);
    }
  }
  return out;
}

/** size x size (224 unless the model says otherwise) float32 model input, row-major, from a decoded single-channel image. */
export function preprocessForModel(img: GreyImage, size: number = MODEL_INPUT_SIZE): Float32Array {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`Invalid model input size ${size}`);
  const { width, height, pixels } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`Invalid image size ${width}x${height}`);
  }
  if (pixels.length !== width * height) {
    throw new RangeError(`Pixel buffer holds ${pixels.length} values, expected ${width * height}`);
  }
  const crop = centerCrop(width, height);
  return resizeAntialiasBilinear(
    pixels,
    width,
    { x: crop.x, y: crop.y, width: crop.size, height: crop.size },
    size,
    size,
  );
}
