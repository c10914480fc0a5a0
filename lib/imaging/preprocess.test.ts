import { describe, expect, it } from "vitest";
import { centerCrop, MODEL_INPUT_SIZE, preprocessForModel, resizeAntialiasBilinear } from "./preprocess";
import { prng } from "@/test/support/imaging/fuzz";

/**
 * Independent double-precision statement of torch's antialiased bilinear resize (align_corners
 * False): output i of an axis averages inputs j with triangle weights max(0, 1 - |j + 0.5 - c| / s),
 * c = s (i + 0.5), s = in/out when shrinking (1 when enlarging), over the window torch uses,
 * normalised to sum 1. Written without any of preprocess.ts's code.
 */
function referenceResize(src: Float64Array, w: number, h: number, ow: number, oh: number): Float64Array {
  const axis = (n: number, o: number) => {
    const scale = n / o;
    const support = scale >= 1 ? scale : 1;
    const inv = scale >= 1 ? 1 / scale : 1;
    return Array.from({ length: o }, (_, i) => {
      const c = scale * (i + 0.5);
      const lo = Math.max(Math.trunc(c - support + 0.5), 0);
      const hi = Math.min(Math.trunc(c + support + 0.5), n);
      const taps: [number, number][] = [];
      for (let j = lo; j < hi; j++) taps.push([j, Math.max(0, 1 - Math.abs((j - c + 0.5) * inv))]);
      const total = taps.reduce((a, [, wt]) => a + wt, 0);
      return taps.map(([j, wt]) => [j, wt / total] as [number, number]);
    });
  };
  const ax = axis(w, ow);
  const ay = axis(h, oh);
  const out = new Float64Array(ow * oh);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let acc = 0;
      for (const [sy, wy] of ay[y]) for (const [sx, wx] of ax[x]) acc += src[sy * w + sx] * wy * wx;
      out[y * ow + x] = acc;
    }
  }
  return out;
}

function randomImage(w: number, h: number, seed: number): Float32Array {
  const rng = prng(seed);
  return Float32Array.from({ length: w * h }, () => rng() * 2048 - 1024);
}

describe("centerCrop (XRayCenterCrop)", () => {
  it("crops the long side around the centre with floor division", () => {
    expect(centerCrop(512, 430)).toEqual({ x: 41, y: 0, size: 430 });
    expect(centerCrop(430, 512)).toEqual({ x: 0, y: 41, size: 430 });
    expect(centerCrop(1036, 885)).toEqual({ x: 76, y: 0, size: 885 });
    expect(centerCrop(7, 4)).toEqual({ x: 1, y: 0, size: 4 }); // 7//2 - 4//2 = 1
    expect(centerCrop(300, 300)).toEqual({ x: 0, y: 0, size: 300 });
  });

  it("is the window the report heatmaps are drawn over", () => {
    expect(centerCrop(1000, 800)).toEqual({ x: 100, y: 0, size: 800 });
    expect(centerCrop(513, 1024)).toEqual({ x: 0, y: 256, size: 513 });
  });
});

describe("resizeAntialiasBilinear", () => {
  it("matches torch's values on a hand-checked 4 -> 2 case", () => {
    // torch: F.interpolate([[0,1,2,3]] as 1x4, size 2, antialias) -> [5/7, 16/7]
    const src = Float32Array.from([0, 1, 2, 3]);
    const out = resizeAntialiasBilinear(src, 4, { x: 0, y: 0, width: 4, height: 1 }, 2, 1);
    expect(out[0]).toBeCloseTo(5 / 7, 5);
    expect(out[1]).toBeCloseTo(16 / 7, 5);
  });

  it.each([
    [430, 430],
    [512, 512],
    [885, 885],
    [225, 225],
    [300, 200],
    [100, 100], // enlarging
    [160, 240],
  ])("agrees with an independent double-precision implementation for %i x %i", (w, h) => {
    const img = randomImage(w, h, w * 31 + h);
    const ours = resizeAntialiasBilinear(img, w, { x: 0, y: 0, width: w, height: h }, 224, 224);
    const ref = referenceResize(Float64Array.from(img), w, h, 224, 224);
    let maxAbs = 0;
    for (let i = 0; i < ref.length; i++) maxAbs = Math.max(maxAbs, Math.abs(ours[i] - ref[i]));
    // Like torch, preprocess.ts computes scale, centres and weights in float32; on white noise
    // (neighbours up to 2048 apart) that shifts results by ~0.03 from this ideal double answer.
    // Agreement with torch's own float32 output is pinned by fixtures.test.ts (bit for bit).
    expect(maxAbs).toBeLessThan(0.05);
  });

  it("is the identity at the model size and keeps a constant image constant", () => {
    const img = randomImage(224, 224, 3);
    expect(Array.from(preprocessForModel({ width: 224, height: 224, pixels: img }))).toEqual(Array.from(img));
    const flat = new Float32Array(777 * 600).fill(-300.5);
    const out = preprocessForModel({ width: 777, height: 600, pixels: flat });
    expect(Math.max(...Array.from(out, (v) => Math.abs(v + 300.5)))).toBeLessThan(1e-3);
  });

  it("reads only the crop window (pixels outside it do not leak in)", () => {
    const w = 600;
    const h = 448;
    const img = new Float32Array(w * h).fill(1000);
    const crop = centerCrop(w, h);
    for (let y = 0; y < h; y++) for (let x = crop.x; x < crop.x + crop.size; x++) img[y * w + x] = -1000;
    const out = preprocessForModel({ width: w, height: h, pixels: img });
    expect(out.length).toBe(MODEL_INPUT_SIZE * MODEL_INPUT_SIZE);
    expect(Math.max(...Array.from(out, (v) => Math.abs(v + 1000)))).toBeLessThan(1e-3);
  });

  it("rejects a pixel buffer that does not match the stated size", () => {
    expect(() => preprocessForModel({ width: 10, height: 10, pixels: new Float32Array(99) })).toThrow(RangeError);
    expect(() => preprocessForModel({ width: 0, height: 10, pixels: new Float32Array(0) })).toThrow(RangeError);
  });
});
