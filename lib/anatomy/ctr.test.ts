import { describe, expect, it } from "vitest";
import { largestComponent } from "./components";
import { measureCtr, widestRow } from "./ctr";
import { extentToFilm } from "./film-frame";
import { lungZone, zoneOfRow } from "./lung-zones";

// The CTR and lung-zone rules on synthetic masks whose answers are worked out by hand in the comments.

const W = 100;
const H = 100;

function blank(): Uint8Array {
  return new Uint8Array(W * H);
}
function ellipse(m: Uint8Array, cx: number, cy: number, a: number, b: number): Uint8Array {
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (((x - cx) / a) ** 2 + ((y - cy) / b) ** 2 <= 1) m[y * W + x] = 1;
  return m;
}
function rect(m: Uint8Array, x0: number, y0: number, x1: number, y1: number): Uint8Array {
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) m[y * W + x] = 1;
  return m;
}

describe("cardiothoracic ratio", () => {
  it("ellipses: the widest rows are the centre rows", () => {
    // Heart: centre (50, 60), semi-axes 15 x 10 -> row 60 runs 35..65, 31 px; row 59 only reaches
    // |x - 50| <= 15 * sqrt(1 - 1/100) = 14.92, so 29 px. Lungs: centres (30, 50) and (70, 50), 12 x 25 ->
    // row 50 runs 18..42 and 58..82, so the union spans 18..82 = 65 px; row 49 spans 19..81 = 63 px.
    const ctr = measureCtr({ heart: ellipse(blank(), 50, 60, 15, 10), rightLung: ellipse(blank(), 30, 50, 12, 25), leftLung: ellipse(blank(), 70, 50, 12, 25) }, W, H);
    expect(ctr.heart).toEqual({ width: 31, row: 60, left: 35, right: 65 });
    expect(ctr.thorax).toEqual({ width: 65, row: 50, left: 18, right: 82 });
    expect(ctr.ratio).toBe(31 / 65);
  });

  it("two blobs: only the largest 8-connected component counts, however wide the other", () => {
    // Heart: a 20 x 30 block (600 px) and a 60 x 2 strip (120 px) below it, apart -> width 20, row 10.
    const heart = rect(rect(blank(), 40, 10, 59, 39), 20, 60, 79, 61);
    // Right lung: 30 x 40 block at 5..34; a 3-px speck far right is a second, smaller component.
    const rightLung = rect(rect(blank(), 5, 5, 34, 44), 97, 90, 99, 90);
    const leftLung = rect(blank(), 65, 5, 94, 44);
    const ctr = measureCtr({ heart, rightLung, leftLung }, W, H);
    expect(ctr.heart).toEqual({ width: 20, row: 10, left: 40, right: 59 });
    // Union of 5..34 and 65..94 on each of rows 5..44: extent 5..94 = 90, first row on the tie.
    expect(ctr.thorax).toEqual({ width: 90, row: 5, left: 5, right: 94 });
    expect(ctr.ratio).toBe(20 / 90);
  });

  it("pixels touching only at a corner are one component (8-connectivity)", () => {
    const m = rect(rect(blank(), 10, 10, 14, 14), 15, 15, 19, 19); // 25 + 25 px, diagonal neighbours
    const big = rect(blank(), 50, 50, 55, 57); // 48 px: smaller than the joined pair
    for (let i = 0; i < m.length; i++) m[i] |= big[i];
    const c = largestComponent(m, W, H);
    expect(c.reduce((a, b) => a + b, 0)).toBe(50);
    expect(c[50 * W + 50]).toBe(0);
  });

  it("an empty heart gives no ratio (width 0, row -1)", () => {
    const ctr = measureCtr({ heart: blank(), rightLung: rect(blank(), 5, 5, 34, 44), leftLung: rect(blank(), 65, 5, 94, 44) }, W, H);
    expect(ctr.heart).toEqual({ width: 0, row: -1, left: -1, right: -1 });
    expect(ctr.thorax.width).toBe(90);
    expect(ctr.ratio).toBeNull();
  });

  it("empty lungs give no ratio either", () => {
    expect(measureCtr({ heart: rect(blank(), 40, 40, 59, 59), rightLung: blank(), leftLung: blank() }, W, H).ratio).toBeNull();
  });

  it("lungs touching the image edges measure to the edges", () => {
    // Right lung columns 0..30, left lung 70..99 on rows 20..79 -> union 0..99 = 100 px on row 20.
    const ctr = measureCtr({ heart: rect(blank(), 35, 50, 64, 70), rightLung: rect(blank(), 0, 20, 30, 79), leftLung: rect(blank(), 70, 20, 99, 79) }, W, H);
    expect(ctr.thorax).toEqual({ width: 100, row: 20, left: 0, right: 99 });
    expect(ctr.heart).toEqual({ width: 30, row: 50, left: 35, right: 64 });
    expect(ctr.ratio).toBe(0.3);
  });

  it("a row's extent spans holes: first to last set column", () => {
    const m = blank();
    m[5 * W + 10] = 1;
    m[5 * W + 40] = 1;
    expect(widestRow(m, W, H)).toEqual({ width: 31, row: 5, left: 10, right: 40 });
  });
});

describe("lung zones", () => {
  const rightLung = rect(blank(), 10, 10, 39, 39); // rows 10..39: upper 10-19, middle 20-29, lower 30-39
  const leftLung = rect(blank(), 60, 20, 89, 79); // rows 20..79: upper 20-39, middle 40-59, lower 60-79
  const lungs = { right: rightLung, left: leftLung };

  it("thirds of the lung's own height", () => {
    expect(zoneOfRow(10, 10, 39)).toBe("upper");
    expect(zoneOfRow(19, 10, 39)).toBe("upper");
    expect(zoneOfRow(20, 10, 39)).toBe("middle");
    expect(zoneOfRow(30, 10, 39)).toBe("lower");
    expect(zoneOfRow(39, 10, 39)).toBe("lower");
  });

  it("names the zone of a heatmap peak by the lung it overlaps most", () => {
    expect(lungZone({ x: 15, y: 32, width: 10, height: 5 }, lungs, W, H)?.label).toBe("right lower zone");
    expect(lungZone({ x: 70, y: 22, width: 10, height: 10 }, lungs, W, H)?.label).toBe("left upper zone");
    // Overlaps the left lung over rows 40..59 (mean row 49.5): middle third of 20..79.
    expect(lungZone({ x: 85, y: 40, width: 15, height: 20 }, lungs, W, H)).toEqual({ side: "left", zone: "middle", label: "left middle zone" });
    // Straddling both lungs: 5 columns in the right lung (35..39) against 10 in the left (60..69).
    expect(lungZone({ x: 35, y: 25, width: 35, height: 2 }, lungs, W, H)?.side).toBe("left");
  });

  it("a peak outside both lungs has no zone", () => {
    expect(lungZone({ x: 45, y: 45, width: 10, height: 10 }, lungs, W, H)).toBeNull();
  });
});

describe("model frame to film", () => {
  it("maps a 512-frame extent through the centre crop and into millimetres", () => {
    // 1000 x 800 film: crop 800 at x 100, y 0; one model pixel = 800/512 = 1.5625 film px.
    // Columns 10..19 -> film 100 + 10*1.5625 = 115.625 to 100 + 20*1.5625 = 131.25 (15.625 px, 3.125 mm
    // at 0.2 mm); row 100 -> centre (100 + 0.5) * 1.5625 = 157.03125.
    expect(extentToFilm({ row: 100, left: 10, right: 19 }, { width: 1000, height: 800, pixelSpacingMm: [0.2, 0.2] }, 512)).toEqual({
      row: 157.03125,
      left: 115.625,
      right: 131.25,
      widthPx: 15.625,
      widthMm: 3.125,
    });
  });

  it("has no millimetres without pixel spacing and nothing for an empty extent", () => {
    expect(extentToFilm({ row: 0, left: 0, right: 511 }, { width: 512, height: 512 }, 512)).toMatchObject({ left: 0, right: 512, widthPx: 512, widthMm: null });
    expect(extentToFilm({ row: -1, left: -1, right: -1 }, { width: 512, height: 512 }, 512)).toBeNull();
  });
});

describe("finding zones from the CAM peak", () => {
  it("maps a 7 x 7 CAM peak cell onto the mask frame and names its zone", async () => {
    const { findingZone, camPeak } = await import("./finding-zones");
    // 2 classes on a 7 x 7 grid over a 70 x 70 mask frame: each cell is 10 x 10 pixels.
    const data = new Float32Array(2 * 49);
    data[5 * 7 + 1] = 3; // class 0 peaks at row 5, col 1 -> pixels x 10..19, y 50..59
    data[49 + 1 * 7 + 5] = 2; // class 1 peaks at row 1, col 5 -> pixels x 50..59, y 10..19
    const cam = { data, shape: [2, 7, 7] };
    expect(camPeak(cam, 0)).toEqual({ row: 5, col: 1 });
    const S = 70;
    const right = new Uint8Array(S * S);
    const left = new Uint8Array(S * S);
    for (let y = 6; y < 66; y++) for (let x = 5; x < 30; x++) right[y * S + x] = 1; // rows 6..65: lower third from row 46
    for (let y = 6; y < 66; y++) for (let x = 40; x < 65; x++) left[y * S + x] = 1; // upper third rows 6..25
    expect(findingZone(cam, 0, { left, right }, S)?.label).toBe("right lower zone");
    expect(findingZone(cam, 1, { left, right }, S)?.label).toBe("left upper zone");
  });
});
