import { describe, expect, it } from "vitest";
import { isoContour } from "./contour";
import { actualSizeTransform, fitTransform, modelCrop, screenToImage, zoomAt } from "./transform";
import { buildLut, dragWindow, FULL_RANGE, matchingPreset, presetWindow, WINDOW_PRESETS, windowLut } from "./window-level";

describe("window/level", () => {
  it("is the identity at the full range and inverts on request", () => {
    const lut = windowLut(FULL_RANGE, false);
    expect([lut[0], lut[64], lut[128], lut[255]]).toEqual([0, 64, 128, 255]);
    const inv = windowLut(FULL_RANGE, true);
    expect([inv[0], inv[255]]).toEqual([255, 0]);
  });

  it("narrows: values outside the window clip, the centre maps to mid-grey", () => {
    const lut = windowLut({ center: 100, width: 51 }, false);
    expect(lut[74]).toBe(0);
    expect(lut[126]).toBe(255);
    expect(lut[100]).toBe(130); // ((100 - 99.5) / 50 + 0.5) * 255 = 130.05
    expect(lut[125]).toBe(255);
  });

  it("drags like a PACS: right widens, down raises the level, scaled to the source's range", () => {
    expect(dragWindow({ center: 100, width: 100 }, 20, -10)).toEqual({ center: 90, width: 120 });
    expect(dragWindow({ center: 100, width: 10 }, -50, 0).width).toBe(1);
    // A 12-bit source with a 4096-wide default window moves 16 units per screen pixel.
    const base = { center: 2048, width: 4096 };
    expect(dragWindow(base, 10, 5, base)).toEqual({ center: 2128, width: 4256 });
  });

  it("windows 12-bit values through the modality mapping", () => {
    // Stored 0..4095 shifted by 1000, slope 2: modality = (v + 1000) * 2.
    const lut = buildLut({ center: 6000, width: 2001 }, false, 4096, (v) => (v + 1000) * 2);
    expect(lut[0]).toBe(0); // modality 2000, below the window
    expect(lut[2000]).toBe(128); // modality 6000, the centre
    expect(lut[4095]).toBe(255); // modality 10190, above
  });

  it("derives presets from the default window and recognises them", () => {
    const base = { center: 2000, width: 3000 };
    const lung = presetWindow(WINDOW_PRESETS[1], base);
    expect(lung).toEqual({ center: 500 + 0.35 * 3000, width: 0.66 * 3000 });
    expect(matchingPreset(lung, base)?.id).toBe("lung");
    expect(matchingPreset(base, base)?.id).toBe("default");
    expect(matchingPreset({ center: 1, width: 7 }, base)).toBeUndefined();
  });
});

describe("view transform", () => {
  it("fits and centres, and keeps the point under the cursor when zooming", () => {
    const t = fitTransform({ width: 1000, height: 500 }, { width: 516, height: 516 });
    expect(t.scale).toBeCloseTo(0.5, 6);
    expect(t.y).toBeCloseTo(133, 6);
    const p = { x: 300, y: 200 };
    const before = screenToImage(t, p);
    const z = zoomAt(t, p, 2.5);
    expect(z.scale).toBeCloseTo(1.25, 6);
    const after = screenToImage(z, p);
    expect(after.x).toBeCloseTo(before.x, 9);
    expect(after.y).toBeCloseTo(before.y, 9);
    expect(actualSizeTransform(t, { width: 516, height: 516 }, 2).scale).toBeCloseTo(0.5, 9);
  });

  it("places the model's centre crop like TorchXRayVision", () => {
    expect(modelCrop({ width: 512, height: 430 })).toEqual({ left: 41, top: 0, size: 430 });
    expect(modelCrop({ width: 301, height: 400 })).toEqual({ left: 0, top: 50, size: 301 });
  });
});

describe("contour", () => {
  it("outlines a single high cell with four segments at the half-way points", () => {
    const grid = [0, 0, 0, 0, 1, 0, 0, 0, 0];
    const segs = isoContour(grid, 3, 3, 0.5);
    expect(segs).toHaveLength(4);
    const points = segs.flatMap(([x1, y1, x2, y2]) => [`${x1},${y1}`, `${x2},${y2}`]);
    expect(new Set(points)).toEqual(new Set(["0.5,1", "1,0.5", "1.5,1", "1,1.5"]));
  });

  it("is empty for a flat field", () => {
    expect(isoContour([1, 1, 1, 1], 2, 2, 0.5)).toEqual([]);
  });
});
