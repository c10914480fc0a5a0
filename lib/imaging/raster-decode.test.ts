import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { decodeImage } from "./index";
import { xrvScaleValue } from "./xrv-scale";
import { writeDicom } from "@/test/support/imaging/dicom-writer";

const W = 96;
const H = 80;
const ramp8 = Uint8Array.from({ length: W * H }, (_, i) => (i * 7) % 256);
const ramp16 = Uint16Array.from({ length: W * H }, (_, i) => (i * 977) % 65536);

const rawGrey = (data: Uint8Array | Uint16Array) => sharp(data, { raw: { width: W, height: H, channels: 1 } });

function expectScaled(pixels: Float32Array, values: ArrayLike<number>, maxval: number) {
  let worst = 0;
  for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(pixels[i] - xrvScaleValue(values[i], maxval)));
  expect(worst).toBe(0);
}

describe("raster decoding (sharp)", () => {
  it("8-bit grey PNG: every pixel is (2 v/255 - 1) * 1024", async () => {
    const png = await rawGrey(ramp8).toColourspace("b-w").png().toBuffer();
    const d = await decodeImage(png);
    expect(d).toMatchObject({ format: "png", width: W, height: H });
    expect(d.metadata).toMatchObject({ kind: "raster", bitDepth: 8, channels: 1, colour: false });
    expectScaled(d.pixels, ramp8, 255);
  });

  it("16-bit grey PNG keeps all 16 bits and scales with 65535", async () => {
    const png = await rawGrey(ramp16).toColourspace("grey16").png().toBuffer();
    const d = await decodeImage(png);
    expect(d.metadata).toMatchObject({ kind: "raster", bitDepth: 16, channels: 1 });
    expectScaled(d.pixels, ramp16, 65535);
  });

  it("16-bit RGB PNG: the first channel at full depth", async () => {
    const rgb = new Uint16Array(W * H * 3);
    for (let i = 0; i < W * H; i++) rgb.set([ramp16[i], 65535 - ramp16[i], 1234], i * 3);
    const png = await sharp(rgb, { raw: { width: W, height: H, channels: 3 } }).toColourspace("rgb16").png().toBuffer();
    const d = await decodeImage(png);
    expect(d.metadata).toMatchObject({ bitDepth: 16, channels: 3, colour: true });
    expectScaled(d.pixels, ramp16, 65535);
  });

  it("RGB and RGBA: the first (red) channel, as TorchXRayVision takes img[:, :, 0]", async () => {
    const rgba = new Uint8Array(W * H * 4);
    for (let i = 0; i < W * H; i++) rgba.set([ramp8[i], 255 - ramp8[i], 17, 200], i * 4);
    const png = await sharp(rgba, { raw: { width: W, height: H, channels: 4 } }).png().toBuffer();
    const d = await decodeImage(png);
    expect(d.metadata).toMatchObject({ channels: 4, hasAlpha: true, colour: true });
    expectScaled(d.pixels, ramp8, 255);
    expect(d.warnings.map((w) => w.code)).toContain("not_a_radiograph");
  });

  it("grey + alpha PNG: the grey channel", async () => {
    const ga = new Uint8Array(W * H * 2);
    for (let i = 0; i < W * H; i++) ga.set([ramp8[i], 128], i * 2);
    const png = await sharp(ga, { raw: { width: W, height: H, channels: 2 } }).toColourspace("b-w").png().toBuffer();
    const d = await decodeImage(png);
    expect(d.metadata).toMatchObject({ channels: 2, hasAlpha: true, colour: false });
    expectScaled(d.pixels, ramp8, 255);
  });

  it("applies EXIF orientation to JPEGs (orientation 6 = rotate 90 degrees clockwise)", async () => {
    // Left half black, right half white, then stored with orientation 6.
    const img = Uint8Array.from({ length: W * H }, (_, i) => (i % W < W / 2 ? 0 : 255));
    const jpg = await rawGrey(img).toColourspace("b-w").jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    const d = await decodeImage(jpg);
    expect(d.metadata).toMatchObject({ kind: "raster", exifOrientation: 6 });
    expect([d.width, d.height]).toEqual([H, W]);
    // After rotating clockwise, the original left (black) half is on top.
    expect(d.pixels[2 * d.width + d.width / 2]).toBeLessThan(-1000);
    expect(d.pixels[(d.height - 3) * d.width + d.width / 2]).toBeGreaterThan(1000);
  });

  it("decodes progressive JPEG, lossless WebP and TIFF", async () => {
    const base = rawGrey(ramp8).toColourspace("b-w");
    const jpg = await base.clone().jpeg({ progressive: true, quality: 100 }).toBuffer();
    const webp = await base.clone().webp({ lossless: true }).toBuffer();
    const tiff = await base.clone().tiff({ compression: "lzw" }).toBuffer();
    const dj = await decodeImage(jpg);
    expect(dj.format).toBe("jpeg");
    const dw = await decodeImage(webp);
    expect(dw.format).toBe("webp");
    expectScaled(dw.pixels, ramp8, 255);
    const dt = await decodeImage(tiff);
    expect(dt.format).toBe("tiff");
    expectScaled(dt.pixels, ramp8, 255);
  });

  it("chooses the decoder by content, never by file name", async () => {
    const png = await rawGrey(ramp8).toColourspace("b-w").png().toBuffer();
    expect((await decodeImage(png, { fileName: "scan.dcm" })).format).toBe("png");
    const dcm = writeDicom({ rows: H, columns: W, bitsAllocated: 8, bitsStored: 8, pixels: ramp8 });
    expect((await decodeImage(dcm, { fileName: "photo.png" })).format).toBe("dicom");
  });

  it("refuses a truncated PNG and a truncated JPEG with typed errors", async () => {
    const png = await rawGrey(ramp8).png().toBuffer();
    const jpg = await rawGrey(ramp8).jpeg().toBuffer();
    for (const cut of [png.subarray(0, png.length - 40), jpg.subarray(0, jpg.length - 200)]) {
      await expect(decodeImage(Buffer.from(cut))).rejects.toMatchObject({ name: "ImagingError", httpStatus: 422 });
    }
  });
});

describe("colour test of RGB rasters", () => {
  // The rule as first written, a separate pass: of every 7th pixel, more than 2% with a channel spread
  // above maxval/16 makes a colour picture. The decoder now decides it in its one pass over the samples.
  function colourByRule(rgb: Uint8Array, pixelCount: number): boolean {
    const limit = (pixelCount / 7) * 0.02;
    let count = 0;
    for (let p = 0; p < pixelCount * 3; p += 21) {
      const [r, g, b] = [rgb[p], rgb[p + 1], rgb[p + 2]];
      if ((Math.abs(r - g) > 255 / 16 || Math.abs(g - b) > 255 / 16 || Math.abs(r - b) > 255 / 16) && ++count > limit) return true;
    }
    return false;
  }

  it("flags the same images as the two-pass rule, around its threshold", async () => {
    const w = 90;
    const h = 70;
    const n = w * h;
    const sampled = Math.ceil(n / 7);
    const limit = Math.floor((n / 7) * 0.02);
    for (const coloured of [0, limit - 1, limit, limit + 1, limit + 2, sampled]) {
      for (const offset of [0, 1, 3]) {
        const rgb = new Uint8Array(n * 3);
        for (let i = 0; i < n; i++) rgb.set([(i * 5) % 256, (i * 5) % 256, (i * 5 + 1) % 256], i * 3);
        // Colour at `coloured` of the checked pixels (offset 0), or only at unchecked ones.
        for (let k = 0; k < coloured; k++) {
          const i = k * 7 + offset;
          if (i < n) rgb[i * 3 + 1] = (rgb[i * 3] + 128) % 256;
        }
        const png = await sharp(rgb, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer();
        const d = await decodeImage(png, { qualityGates: "warn" });
        expect(d.metadata, `${coloured} coloured, offset ${offset}`).toMatchObject({ colour: colourByRule(rgb, n) });
        expectScaled(d.pixels, Uint8Array.from({ length: n }, (_, i) => rgb[i * 3]), 255);
      }
    }
  });
});
