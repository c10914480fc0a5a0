import { describe, expect, it } from "vitest";
import { alphaAt, colorAt, heatmapRgba, normalizeRange, upsampleBilinear } from "./heatmap-math";

describe("upsampleBilinear", () => {
  it("keeps a constant grid constant and interpolates between half-pixel centres", () => {
    expect([...upsampleBilinear([3, 3, 3, 3], 2, 2, 4)]).toEqual(Array(16).fill(3));
    // 1x2 -> 1x4 row: centres of the source pixels sit at 0.5 and 2.5 in the output.
    const row = upsampleBilinear([0, 1, 0, 1], 2, 2, 4).slice(0, 4);
    expect([...row]).toEqual([0, 0.25, 0.75, 1]);
  });

  it("puts the hot cell of a 7x7 map in the matching region of the output", () => {
    const grid = Array(49).fill(0);
    grid[1 * 7 + 5] = 10; // row 1, column 5: upper right
    const out = normalizeRange(upsampleBilinear(grid, 7, 7, 224));
    let best = 0;
    for (let i = 1; i < out.length; i++) if (out[i] > out[best]) best = i;
    const y = Math.floor(best / 224);
    const x = best % 224;
    expect(Math.floor(y / 32)).toBe(1);
    expect(Math.floor(x / 32)).toBe(5);
  });
});

describe("colour map", () => {
  it("normalizes by range and treats a flat map as nothing", () => {
    expect([...normalizeRange(new Float32Array([2, 4, 6]))]).toEqual([0, 0.5, 1]);
    expect([...normalizeRange(new Float32Array([5, 5]))]).toEqual([0, 0]);
  });

  it("is transparent at the low end and most opaque and red at the top", () => {
    expect(alphaAt(0)).toBe(0);
    expect(alphaAt(0.2)).toBe(0);
    expect(alphaAt(1)).toBe(Math.round(255 * 0.65));
    expect(colorAt(1)).toEqual([205, 0, 0]);
    expect(colorAt(0)).toEqual([0, 0, 140]);
    const px = heatmapRgba([0, 1, 2, 3], 2, 2, 2);
    expect(px.length).toBe(16);
    expect(px[3]).toBe(0); // lowest cell: transparent
    expect(px[15]).toBe(166); // highest cell: 65% opaque
  });
});
