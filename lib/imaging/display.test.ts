import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { decodeImage, renderDisplayImages, THUMBNAIL_SIZE } from "./index";
import { applyWindow, displayGrey } from "./display";
import { syntheticPixels, writeDicom, type DicomElement } from "@/test/support/imaging/dicom-writer";
import { fixturesPresent, readFixture, SKIP_NOTE } from "@/test/support/imaging/fixtures";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";

const S = 64;
const ramp = Uint16Array.from({ length: S * S }, (_, i) => i); // 0..4095: every 12-bit value once

function dicom(extra: DicomElement[], opts: { photometric?: string; pixels?: Uint16Array } = {}) {
  return writeDicom({ rows: S, columns: S, bitsStored: 12, pixels: opts.pixels ?? ramp, photometric: opts.photometric, extra });
}
const window = (c: number, w: number): DicomElement[] => [
  { tag: 0x00281050, vr: "DS", value: String(c) },
  { tag: 0x00281051, vr: "DS", value: String(w) },
];

async function pngGrey(png: Buffer) {
  const { data, info } = await sharp(png).toColourspace("b-w").raw().toBuffer({ resolveWithObject: true });
  return { data, info };
}

describe("display rendering", () => {
  it("applies the DICOM window (PS3.3 LINEAR) and writes it as an 8-bit grey PNG", async () => {
    const d = await decodeImage(dicom(window(2048, 1024)));
    const out = await renderDisplayImages(d);
    expect(out.mapping).toBe("window");
    expect(out.window).toMatchObject({ center: 2048, width: 1024 });
    const { data, info } = await pngGrey(out.full);
    expect(info).toMatchObject({ width: S, height: S, channels: 1 });
    const meta = await sharp(out.full).metadata();
    expect(meta).toMatchObject({ format: "png", depth: "uchar" });
    expect(data[1000]).toBe(0); // below c - w/2
    expect(data[3000]).toBe(255); // above c + w/2
    expect(data[2048]).toBe(128); // centre: ((2048 - 2047.5) / 1023 + 0.5) * 255 = 127.6
    for (const v of [1600, 1800, 2300, 2500]) expect(data[v]).toBe(Math.round(applyWindow(v, { center: 2048, width: 1024 }, "LINEAR")));
    // monotonic inside the window
    for (let v = 1537; v < 2559; v++) expect(data[v + 1]).toBeGreaterThanOrEqual(data[v]);
  });

  it("windows in modality units after Rescale Slope/Intercept", async () => {
    const d = await decodeImage(
      dicom([...window(0, 400), { tag: 0x00281052, vr: "DS", value: "-1000" }, { tag: 0x00281053, vr: "DS", value: "0.5" }]),
    );
    const { grey } = displayGrey(d);
    // stored 2000 -> modality 0 = window centre
    expect(grey[2000]).toBe(Math.round(applyWindow(0, { center: 0, width: 400 }, "LINEAR")));
    expect(grey[1500]).toBe(0); // modality -250
    expect(grey[2500]).toBe(255); // modality +250
  });

  it("honours VOI LUT Function LINEAR_EXACT and SIGMOID", async () => {
    const exact = displayGrey(await decodeImage(dicom([...window(2048, 1000), { tag: 0x00281056, vr: "CS", value: "LINEAR_EXACT" }])));
    expect(exact.grey[2048]).toBe(128);
    expect(exact.grey[1548]).toBe(0);
    const sigmoid = displayGrey(await decodeImage(dicom([...window(2048, 1000), { tag: 0x00281056, vr: "CS", value: "SIGMOID" }])));
    expect(sigmoid.grey[2048]).toBe(128);
    expect(sigmoid.grey[1548]).toBe(Math.round(255 / (1 + Math.exp(2))));
  });

  it("a VOI LUT takes precedence over the window", async () => {
    const lut = Uint16Array.from({ length: 4096 }, (_, i) => 4095 - i); // an inverting LUT
    const seq: DicomElement = {
      tag: 0x00283010,
      vr: "SQ",
      value: [[{ tag: 0x00283002, vr: "US", value: [4096, 0, 12] }, { tag: 0x00283006, vr: "OW", value: lut }]],
    };
    const d = await decodeImage(dicom([...window(2048, 1024), seq]));
    const out = displayGrey(d);
    expect(out.mapping).toBe("voi-lut");
    expect(out.grey[0]).toBe(255);
    expect(out.grey[4095]).toBe(0);
    expect(out.grey[1000]).toBe(Math.round((3095 / 4095) * 255));
  });

  it("MONOCHROME1 is shown with bone white: low stored values bright", async () => {
    const m1 = displayGrey(await decodeImage(dicom(window(2048, 4096), { photometric: "MONOCHROME1" })));
    expect(m1.grey[0]).toBe(255);
    expect(m1.grey[4095]).toBe(0);
    // The same anatomy stored the other way round as MONOCHROME2 looks identical.
    const inverted = Uint16Array.from(ramp, (v) => 4095 - v);
    const m1Robust = displayGrey(await decodeImage(dicom([], { photometric: "MONOCHROME1" })));
    const m2Robust = displayGrey(await decodeImage(dicom([], { pixels: inverted })));
    let worst = 0;
    for (let i = 0; i < S * S; i++) worst = Math.max(worst, Math.abs(m1Robust.grey[i] - m2Robust.grey[i]));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it("without a window: robust min-max ignores a few extreme pixels", async () => {
    const px = Uint16Array.from(ramp, (v) => 1000 + Math.floor(v / 4)); // 1000..2023
    px[0] = 4095; // a burned-in label
    const out = displayGrey(await decodeImage(dicom([], { pixels: px })));
    expect(out.mapping).toBe("robust-minmax");
    expect(out.grey[S * S - 10]).toBe(255); // at the top of the real range already saturates
    expect(out.grey[S * 32]).toBeGreaterThan(100); // mid-range stays mid-grey, not crushed by the outlier
    expect(out.grey[S * 32]).toBeLessThan(160);
  });

  it("8-bit rasters are shown as stored; 16-bit rasters are stretched", async () => {
    const g8 = Uint8Array.from({ length: S * S }, (_, i) => i % 256);
    const png8 = await sharp(g8, { raw: { width: S, height: S, channels: 1 } }).toColourspace("b-w").png().toBuffer();
    const d8 = displayGrey(await decodeImage(png8));
    expect(d8.mapping).toBe("as-stored");
    expect(Array.from(d8.grey)).toEqual(Array.from(g8));
    const png16 = await sharp(ramp, { raw: { width: S, height: S, channels: 1 } }).toColourspace("grey16").png().toBuffer();
    const d16 = displayGrey(await decodeImage(png16));
    expect(d16.mapping).toBe("robust-minmax");
    expect(d16.grey[S * S - 1]).toBe(255);
    expect(d16.grey[0]).toBe(0);
  });

  it("thumbnails fit in 256 px keeping the aspect ratio, and small images are not enlarged", async () => {
    const wide = writeDicom({ rows: 430, columns: 512, bitsStored: 12, pixels: new Uint16Array(430 * 512).map((_, i) => i % 4096) });
    const out = await renderDisplayImages(await decodeImage(wide));
    expect(await sharp(out.full).metadata()).toMatchObject({ width: 512, height: 430, channels: 1 });
    const thumb = await sharp(out.thumbnail).metadata();
    expect(thumb).toMatchObject({ format: "png", width: THUMBNAIL_SIZE, height: 215 });
    const small = await renderDisplayImages(await decodeImage(dicom([])));
    expect(await sharp(small.thumbnail).metadata()).toMatchObject({ width: S, height: S });
  });
});

/**
 * The renderings' PNG settings trade bytes for CPU only: decoded, the display image is displayGrey and
 * both renderings hold exactly the pixels the earlier settings (zlib level 6, the thumbnail at sharp's
 * default) gave, which stored renderings and the viewer's overlays were made from.
 */
async function expectLosslessRenderings(name: string, file: Buffer) {
  const decoded = await decodeImage(file, { qualityGates: "warn" });
  const out = await renderDisplayImages(decoded);
  const { grey } = displayGrey(decoded);
  const raw = { raw: { width: decoded.width, height: decoded.height, channels: 1 as const } };
  const earlierFull = await sharp(grey, raw).toColourspace("b-w").png({ compressionLevel: 6 }).toBuffer();
  const earlierThumbnail = await sharp(grey, raw)
    .toColourspace("b-w")
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: "inside", withoutEnlargement: true, kernel: "lanczos3" })
    .png()
    .toBuffer();

  const full = await pngGrey(out.full);
  expect(full.info, `${name} display`).toMatchObject({ width: decoded.width, height: decoded.height, channels: 1 });
  expect((await sharp(out.full).metadata()).depth, `${name} display depth`).toBe("uchar");
  expect(full.data.equals(Buffer.from(grey.buffer, grey.byteOffset, grey.length)), `${name} display = displayGrey`).toBe(true);
  expect(full.data.equals((await pngGrey(earlierFull)).data), `${name} display = earlier display`).toBe(true);

  const thumbnail = await pngGrey(out.thumbnail);
  const earlier = await pngGrey(earlierThumbnail);
  expect(thumbnail.info, `${name} thumbnail`).toMatchObject({ width: earlier.info.width, height: earlier.info.height, channels: 1 });
  expect(thumbnail.data.equals(earlier.data), `${name} thumbnail = earlier thumbnail`).toBe(true);

  // A site that sets RENDERING_PNG_COMPRESSION gets the same pixels in fewer bytes.
  const deflated = await renderDisplayImages(decoded, { compressionLevel: 6 });
  expect((await pngGrey(deflated.full)).data.equals(full.data), `${name} deflated display`).toBe(true);
  expect((await pngGrey(deflated.thumbnail)).data.equals(thumbnail.data), `${name} deflated thumbnail`).toBe(true);
  return { stored: out.full.length, deflated: deflated.full.length };
}

describe("rendering PNG settings are lossless", () => {
  it("keeps every pixel of 8-bit, 16-bit, colour-file and DICOM renderings, square or not", async () => {
    await expectLosslessRenderings("synthetic film (RGB PNG)", await syntheticFilmPng(3, 512));
    const wide = Uint16Array.from(syntheticPixels(300, 517, 4095, { noise: 0.03, seed: 4 }));
    const png16 = await sharp(wide, { raw: { width: 517, height: 300, channels: 1 } }).toColourspace("grey16").png().toBuffer();
    await expectLosslessRenderings("16-bit grey PNG, 517 x 300", png16);
    await expectLosslessRenderings("windowed 12-bit DICOM", dicom(window(2048, 1024)));
    await expectLosslessRenderings("small DICOM (thumbnail not enlarged)", dicom([]));
  });

  it("stores renderings undeflated by default, and deflates them at a chosen level", async () => {
    const sizes = await expectLosslessRenderings("windowed ramp", dicom(window(2048, 1024)));
    expect(sizes.stored).toBeGreaterThanOrEqual(S * S); // one byte a pixel at least
    expect(sizes.deflated).toBeLessThan(sizes.stored / 2); // a smooth ramp deflates well
  });
});

describe.skipIf(!fixturesPresent)("display of the fixture radiographs", () => {
  if (!fixturesPresent) console.warn(`[imaging display.test] ${SKIP_NOTE}`);
  it("dx-12bit-monochrome1.dcm looks the same as its MONOCHROME2 original", async () => {
    const m1 = displayGrey(await decodeImage(readFixture("dicom", "dx-12bit-monochrome1.dcm")));
    const m2 = displayGrey(await decodeImage(readFixture("dicom", "dx-12bit-explicit-le.dcm")));
    let worst = 0;
    for (let i = 0; i < m1.grey.length; i++) worst = Math.max(worst, Math.abs(m1.grey[i] - m2.grey[i]));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it("renders every fixture radiograph losslessly", async () => {
    for (const file of ["00000001_000.png", "16747_3_1.jpg", "Fake_MONOHR1.dcm", "dx-12bit-monochrome1.dcm", "tb0005.png"]) {
      await expectLosslessRenderings(file, readFixture("xrv", "images", file));
    }
  });
});
