import { describe, expect, it } from "vitest";
import { area, heatmapValues, outlineLoops, thinLoop } from "./heatmap-outline";

describe("heatmap outline", () => {
  it("closes a blob in the middle of the map into one loop around it", () => {
    const grid = Array.from({ length: 49 }, (_, i) => (i === 24 ? 1 : 0));
    const [loop, ...rest] = outlineLoops(heatmapValues(grid, 7, 7));
    expect(rest).toHaveLength(0);
    expect(loop[0]).toEqual(loop.at(-1));
    for (const p of loop) {
      expect(Math.abs(p.x - 0.5)).toBeLessThan(0.2);
      expect(Math.abs(p.y - 0.5)).toBeLessThan(0.2);
    }
    expect(Math.abs(area(loop))).toBeGreaterThan(0.005);
  });

  it("closes a region that touches the crop's edge along the edge, largest loop first", () => {
    const grid = Array.from({ length: 49 }, (_, i) => (i % 7 === 0 ? 1 : i === 26 ? 0.9 : 0));
    const loops = outlineLoops(heatmapValues(grid, 7, 7));
    expect(loops.length).toBeGreaterThanOrEqual(1);
    const [edge] = loops;
    expect(edge[0]).toEqual(edge.at(-1));
    expect(Math.min(...edge.map((p) => p.x))).toBeLessThan(0.01);
  });

  it("thins a loop to at most the given number of points and keeps it closed", () => {
    const loop = Array.from({ length: 301 }, (_, i) => ({ x: Math.cos((i / 300) * 2 * Math.PI), y: Math.sin((i / 300) * 2 * Math.PI) }));
    const thin = thinLoop(loop, 50);
    expect(thin).toHaveLength(50);
    expect(thin[0]).toEqual(thin.at(-1));
    expect(Math.abs(area(thin))).toBeCloseTo(Math.PI, 1);
  });
});
