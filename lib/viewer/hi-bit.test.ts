import { describe, expect, it } from "vitest";
import { decodeImage } from "@/lib/imaging";
import { fixturesPresent, readFixture, SKIP_NOTE } from "@/test/support/imaging/fixtures";
import { hiBitPixels } from "./hi-bit";

describe("high-bit pixels for the viewer (synthetic)", () => {
  it("shifts signed stored values to start at 0 and keeps the modality mapping", () => {
    const stored = Int32Array.from({ length: 600 }, (_, i) => i - 100);
    const px = hiBitPixels({
      width: 30,
      height: 20,
      display: { kind: "dicom", stored, rescaleSlope: 2, rescaleIntercept: -1024, windows: [], voiLutFunction: "LINEAR", monochrome1: true },
    })!;
    expect(px.header).toMatchObject({ offset: -100, count: 600, slope: 2, intercept: -1024, monochrome1: true, windowSource: "robust", bitsStored: 10 });
    expect(px.values[0]).toBe(0);
    expect(px.values[599]).toBe(599);
    // Quantiles by count: the 4th value (-97) and the 598th (497), in modality units v*2 - 1024.
    expect(px.header.window).toEqual({ center: ((-97 + 497) / 2) * 2 - 1024, width: (497 + 97) * 2 });
  });

  it("declines 8-bit data and VOI LUT curves", () => {
    const base = { rescaleSlope: 1, rescaleIntercept: 0, windows: [], voiLutFunction: "LINEAR" as const, monochrome1: false };
    expect(hiBitPixels({ width: 16, height: 16, display: { kind: "dicom", stored: Int32Array.from({ length: 256 }, (_, i) => i), ...base } })).toBeNull();
    const lut = { firstMapped: 0, bitsPerEntry: 8, data: new Uint16Array(4) };
    expect(hiBitPixels({ width: 32, height: 32, display: { kind: "dicom", stored: Int32Array.from({ length: 1024 }, (_, i) => i), ...base, voiLut: lut } })).toBeNull();
    expect(hiBitPixels({ width: 2, height: 2, display: { kind: "raster", grey: new Uint8Array(4), maxval: 255 } })).toBeNull();
  });
});

describe.skipIf(!fixturesPresent)("high-bit pixels from the 12-bit DICOM fixtures", () => {
  if (!fixturesPresent) it.skip(SKIP_NOTE, () => {});

  it("sends the 12-bit stored values of a DX film, MONOCHROME1 flagged", async () => {
    const mono2 = hiBitPixels(await decodeImage(readFixture("dicom", "dx-12bit-explicit-le.dcm")))!;
    const mono1 = hiBitPixels(await decodeImage(readFixture("dicom", "dx-12bit-monochrome1.dcm")))!;
    expect(mono2.header).toMatchObject({ width: 512, height: 430, monochrome1: false });
    expect(mono2.header.count).toBeGreaterThan(256);
    expect(mono2.header.count).toBeLessThanOrEqual(4096);
    expect(mono1.header.monochrome1).toBe(true);
    // The MONOCHROME1 copy holds inverted values: same count, mirrored.
    expect(mono1.header.count).toBe(mono2.header.count);
  });
});
