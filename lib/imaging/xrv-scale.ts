// TorchXRayVision's `normalize(img, maxval)`: (2 * (v / maxval) - 1) * 1024, evaluated in float32 as
// numpy does on a float32 array, so integer inputs land on the same float32 values as the reference.
import { takePixelBuffer } from "./pixel-pool";

const f = Math.fround;

export function xrvScaleValue(v: number, maxval: number): number {
  return f(f(2 * f(v / maxval) - 1) * 1024);
}

const lutCache = new Map<number, Float32Array>();

/** Lookup table v -> scaled value for every v in [0, maxval]; maxval is at most 65535 here. */
export function scaleLut(maxval: number): Float32Array {
  let lut = lutCache.get(maxval);
  if (!lut) {
    lut = new Float32Array(maxval + 1);
    for (let v = 0; v <= maxval; v++) lut[v] = xrvScaleValue(v, maxval);
    lutCache.set(maxval, lut);
  }
  return lut;
}

/**
 * Scale one channel of interleaved unsigned samples (8 or 16 bit) to the model range.
 * `channel` and `stride` pick the first channel of RGB/RGBA data.
 */
export function scaleInterleaved(src: Uint8Array | Uint16Array, pixelCount: number, stride: number, channel: number, maxval: number): Float32Array {
  const lut = scaleLut(maxval);
  const out = takePixelBuffer(pixelCount);
  for (let i = 0, p = channel; i < pixelCount; i++, p += stride) out[i] = lut[src[p]];
  return out;
}

/**
 * Scale DICOM stored values (already masked/sign-extended, MONOCHROME1 already inverted) with
 * maxval 2^BitsStored - 1. Signed data may hold negatives, which TorchXRayVision passes through
 * unclamped; they are computed directly rather than through the table.
 */
export function scaleStored(values: Int32Array, maxval: number): Float32Array {
  const lut = scaleLut(maxval);
  const out = takePixelBuffer(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v >= 0 && v <= maxval ? lut[v] : xrvScaleValue(v, maxval);
  }
  return out;
}
