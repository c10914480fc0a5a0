// The arithmetic of static quantization, pure and unit-tested:
//  - weights: int8, symmetric, one scale per output channel (axis 0), zero point 0;
//  - activations: uint8, asymmetric, one scale and zero point per tensor, the range widened to hold 0
//    (so a zero-padded border and a ReLU's zeros are exact);
//  - a convolution's bias: int32 at scale (input scale x that channel's weight scale), zero point 0, which
//    is what a fused int8 convolution adds to its int32 accumulator.
// uint8 activations with int8 weights (U8S8) is the pairing onnxruntime's x86 kernels are built around;
// with VNNI (vpdpbusd) there is no intermediate int16 saturation, so the full 8-bit range is used
// (no "reduce_range").

export interface ActivationParams {
  scale: number;
  zeroPoint: number;
}

export interface WeightParams {
  /** [out] scales. */
  scales: Float32Array;
  /** Quantized weights, same layout as the float ones. */
  values: Int8Array;
}

const f32 = Math.fround;

/** Round half to even, as ONNX QuantizeLinear does. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function activationParams(min: number, max: number): ActivationParams {
  const lo = Math.min(min, 0);
  const hi = Math.max(max, 0);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new Error(`activation range [${min}, ${max}] is not finite`);
  if (hi - lo === 0) return { scale: 1, zeroPoint: 0 };
  const scale = f32((hi - lo) / 255);
  const zeroPoint = Math.min(255, Math.max(0, roundHalfEven(-lo / scale)));
  return { scale, zeroPoint };
}

/** Per-output-channel symmetric int8 quantization of a weight [out, ...]. */
export function quantizeWeightsPerChannel(weight: Float32Array, out: number): WeightParams {
  if (weight.length % out !== 0) throw new Error(`weight of ${weight.length} values cannot have ${out} output channels`);
  const per = weight.length / out;
  const scales = new Float32Array(out);
  const values = new Int8Array(weight.length);
  for (let o = 0; o < out; o++) {
    let absMax = 0;
    for (let j = 0; j < per; j++) absMax = Math.max(absMax, Math.abs(weight[o * per + j]));
    // A channel of zeros keeps scale 1 (any scale represents it exactly; 0 would divide by zero).
    const scale = absMax === 0 ? 1 : f32(absMax / 127);
    scales[o] = scale;
    for (let j = 0; j < per; j++) values[o * per + j] = Math.max(-127, Math.min(127, roundHalfEven(weight[o * per + j] / scale)));
  }
  return { scales, values };
}

/** int32 bias for an int8 convolution: b[o] / (inputScale * weightScale[o]), with those scales. */
export function quantizeBias(bias: Float32Array, inputScale: number, weightScales: Float32Array): { scales: Float32Array; values: Int32Array } {
  if (bias.length !== weightScales.length) throw new Error(`bias of ${bias.length} values for ${weightScales.length} channels`);
  const scales = new Float32Array(bias.length);
  const values = new Int32Array(bias.length);
  for (let o = 0; o < bias.length; o++) {
    scales[o] = f32(inputScale * weightScales[o]);
    const q = roundHalfEven(bias[o] / scales[o]);
    values[o] = Math.max(-2147483648, Math.min(2147483647, q));
  }
  return { scales, values };
}

/** Per-tensor range of calibration values: their min and max. */
export class RangeObserver {
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  observe(values: Float32Array): void {
    let lo = this.min;
    let hi = this.max;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    this.min = lo;
    this.max = hi;
  }
}

const BINS = 2048;
const CLIP_STEPS = 100;

/**
 * The range that makes 8-bit quantization of the calibration values most exact: a histogram over the
 * min/max range (a second pass over the films), then the clipping range of least expected squared
 * error, rounding (step^2 / 12 inside the range) plus clipping (distance to the range outside it).
 * A few extreme values no longer stretch the step of the bulk; the range always holds 0, and exact
 * zeros (a ReLU's) are left out since they quantize exactly whatever the range.
 */
export class HistogramObserver {
  readonly counts = new Float64Array(BINS);
  private readonly width: number;

  constructor(
    readonly min: number,
    readonly max: number,
  ) {
    this.width = (Math.max(max, 0) - Math.min(min, 0)) / BINS;
  }

  observe(values: Float32Array): void {
    if (!(this.width > 0)) return;
    const lo = Math.min(this.min, 0);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === 0) continue;
      this.counts[Math.min(BINS - 1, Math.max(0, Math.floor((v - lo) / this.width)))]++;
    }
  }

  /** The min/max range scaled by the factor in (0, 1] of least expected squared error. */
  mseRange(): { min: number; max: number } {
    const lo = Math.min(this.min, 0);
    const hi = Math.max(this.max, 0);
    if (!(this.width > 0)) return { min: lo, max: hi };
    let best = { min: lo, max: hi };
    let bestErr = Number.POSITIVE_INFINITY;
    for (let k = CLIP_STEPS; k >= 1; k--) {
      const f = k / CLIP_STEPS;
      const a = lo * f;
      const b = hi * f;
      const step = (b - a) / 255;
      let err = 0;
      for (let i = 0; i < BINS; i++) {
        const n = this.counts[i];
        if (n === 0) continue;
        const c = lo + (i + 0.5) * this.width;
        err += n * (c > b ? (c - b) ** 2 : c < a ? (a - c) ** 2 : (step * step) / 12);
      }
      if (err < bestErr) {
        bestErr = err;
        best = { min: a, max: b };
      }
    }
    return best;
  }
}
