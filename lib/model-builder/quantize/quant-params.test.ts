import { describe, expect, it } from "vitest";
import { activationParams, HistogramObserver, quantizeBias, quantizeWeightsPerChannel, RangeObserver, roundHalfEven } from "./quant-params";

describe("quantization arithmetic", () => {
  it("rounds half to even like QuantizeLinear", () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, 2, 3]);
  });

  it("uint8 activation range holds zero exactly", () => {
    const relu = activationParams(0, 5.1);
    expect(relu.zeroPoint).toBe(0);
    expect(relu.scale).toBeCloseTo(0.02, 6);
    const signed = activationParams(-1, 3);
    expect(signed.zeroPoint).toBe(64); // 1 / (4/255) = 63.75 -> 64
    expect(signed.scale).toBeCloseTo(4 / 255, 7);
    // a positive-only range is widened down to 0
    expect(activationParams(2, 4)).toEqual({ scale: Math.fround(4 / 255), zeroPoint: 0 });
    expect(activationParams(0, 0)).toEqual({ scale: 1, zeroPoint: 0 });
  });

  it("int8 weights: one symmetric scale per output channel", () => {
    const w = Float32Array.of(0.5, -1, 0.25, /* channel 1 */ 2, 1, -0.5, /* channel 2 */ 0, 0, 0);
    const { scales, values } = quantizeWeightsPerChannel(w, 3);
    expect(scales[0]).toBeCloseTo(1 / 127, 8);
    expect(scales[1]).toBeCloseTo(2 / 127, 8);
    expect(scales[2]).toBe(1);
    expect(Array.from(values)).toEqual([64, -127, 32, 127, 64, -32, 0, 0, 0]);
  });

  it("int32 bias at input scale times weight scale", () => {
    const { scales, values } = quantizeBias(Float32Array.of(1, -0.5), 0.1, Float32Array.of(0.01, 0.02));
    expect(scales[0]).toBeCloseTo(0.001, 8);
    expect(scales[1]).toBeCloseTo(0.002, 8);
    expect(Array.from(values)).toEqual([1000, -250]);
  });

  it("range observer keeps the extremes over batches", () => {
    const r = new RangeObserver();
    r.observe(Float32Array.of(1, -2, 3));
    r.observe(Float32Array.of(0, 7));
    expect([r.min, r.max]).toEqual([-2, 7]);
  });

  it("least-squared-error range: an outlier no longer sets the step, an even spread keeps its range", () => {
    // A million values over [0, 1) and one at 5: min/max rounds the million with a step of 5/255
    // (squared error 1e6 * (5/255)^2 / 12 = 32); clipping at c costs (5 - c)^2 + 1.28 c^2, least at 2.19.
    const bulk = Float32Array.from({ length: 1_000_000 }, (_, i) => (i + 0.5) / 1_000_000);
    const h = new HistogramObserver(0, 5);
    h.observe(bulk);
    h.observe(Float32Array.of(5, 0, 0));
    const r = h.mseRange();
    expect(r.min).toBe(0);
    expect(r.max).toBeGreaterThan(2.1);
    expect(r.max).toBeLessThan(2.3);

    const even = new HistogramObserver(-5, 5);
    even.observe(Float32Array.from({ length: 10_000 }, (_, i) => -5 + (10 * (i + 0.5)) / 10_000));
    expect(even.mseRange()).toEqual({ min: -5, max: 5 });
  });

  it("least-squared-error range of a constant zero tensor is its min/max", () => {
    const h = new HistogramObserver(0, 0);
    h.observe(new Float32Array(4));
    expect(h.mseRange()).toEqual({ min: 0, max: 0 });
  });
});
