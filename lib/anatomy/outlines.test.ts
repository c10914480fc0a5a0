import { describe, expect, it } from "vitest";
import { loopToFilm, traceOutlines } from "./outlines";

function maskOf(width: number, height: number, on: (x: number, y: number) => boolean): Uint8Array {
  const m = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) m[y * width + x] = on(x, y) ? 1 : 0;
  return m;
}

describe("traceOutlines", () => {
  it("outlines a rectangle by its four corners, on the pixel edges", () => {
    const loops = traceOutlines(maskOf(10, 8, (x, y) => x >= 2 && x < 7 && y >= 1 && y < 6), 10, 8, 1);
    expect(loops).toHaveLength(1);
    const pts = new Set<string>();
    for (let i = 0; i < loops[0].length; i += 2) pts.add(`${loops[0][i]},${loops[0][i + 1]}`);
    expect(pts).toEqual(new Set(["2,1", "7,1", "7,6", "2,6"]));
  });

  it("gives two blobs two loops, largest first, and leaves out specks below the minimum area", () => {
    const m = maskOf(20, 10, (x, y) => (x < 6 && y < 6) || (x >= 10 && x < 13 && y < 3) || (x === 18 && y === 9));
    const loops = traceOutlines(m, 20, 10, 4);
    expect(loops).toHaveLength(2);
    expect(Math.max(...loops[0].filter((_, i) => i % 2 === 0))).toBe(6);
    expect(Math.min(...loops[1].filter((_, i) => i % 2 === 0))).toBe(10);
  });

  it("keeps a disc's outline within half a pixel of its pixel edges", () => {
    const r = 40;
    const m = maskOf(100, 100, (x, y) => (x + 0.5 - 50) ** 2 + (y + 0.5 - 50) ** 2 <= r * r);
    const [loop] = traceOutlines(m, 100, 100);
    expect(loop.length / 2).toBeLessThan(200);
    for (let i = 0; i < loop.length; i += 2) expect(Math.abs(Math.hypot(loop[i] - 50, loop[i + 1] - 50) - r)).toBeLessThan(1.5);
  });

  it("outlines a ring outside and inside, and an empty mask not at all", () => {
    const ring = maskOf(30, 30, (x, y) => x >= 5 && x < 25 && y >= 5 && y < 25 && !(x >= 10 && x < 20 && y >= 10 && y < 20));
    expect(traceOutlines(ring, 30, 30)).toHaveLength(2);
    expect(traceOutlines(new Uint8Array(64), 8, 8)).toEqual([]);
  });
});

describe("loopToFilm", () => {
  it("maps the model frame through the centre crop of a landscape film", () => {
    // 1000 x 600: the crop is the middle 600 x 600 (x from 200), scale 600 / 512.
    expect(loopToFilm([0, 0, 512, 512, 256, 128], { width: 1000, height: 600 }, 512)).toEqual([200, 0, 800, 600, 500, 150]);
  });
});
