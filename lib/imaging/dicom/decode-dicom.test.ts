import sharp from "sharp";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeImage } from "../index";
import { xrvScaleValue } from "../xrv-scale";
import { writeDicom, type ImageSpec } from "@/test/support/imaging/dicom-writer";
import { encodeHtj2k, encodeJpeg2000, encodeRle } from "@/test/support/imaging/encoders";
import { deflateDicom, generatedSeeds, greySamples16, TS } from "@/test/support/imaging/seeds";

const ROWS = 72;
const COLS = 80;
const stored12 = greySamples16(ROWS, COLS, 12);

function dcm(spec: Partial<ImageSpec>) {
  return writeDicom({ rows: ROWS, columns: COLS, bitsAllocated: 16, bitsStored: 12, pixels: stored12, ...spec });
}

function storedOf(d: Awaited<ReturnType<typeof decodeImage>>): Int32Array {
  if (d.display.kind !== "dicom") throw new Error("not DICOM");
  return d.display.stored;
}

describe("DICOM decoding without fixtures (generated files)", () => {
  it("every generated lossless encoding yields the same stored values and model pixels", async () => {
    const seeds = (await generatedSeeds()).filter((s) => s.name.endsWith("-12.dcm"));
    expect(seeds.map((s) => s.name).sort()).toEqual(
      ["deflated-12.dcm", "explicit-le-12.dcm", "htj2k-12.dcm", "j2k-12.dcm", "jpeg-lossless-12.dcm", "jpeg-ls-12.dcm", "rle-12.dcm"].sort(),
    );
    for (const s of seeds) {
      const d = await decodeImage(s.bytes);
      expect(Array.from(storedOf(d)), s.name).toEqual(Array.from(stored12));
      expect(d.pixels[100], s.name).toBe(xrvScaleValue(stored12[100], 4095));
    }
  });

  it("JPEG baseline 8-bit frames decode like libjpeg-turbo in sharp", async () => {
    const grey = Uint8Array.from(stored12, (v) => v >> 4);
    const jpeg = await sharp(grey, { raw: { width: COLS, height: ROWS, channels: 1 } }).toColourspace("b-w").jpeg({ quality: 85 }).toBuffer();
    const viaSharp = await sharp(jpeg).toColourspace("b-w").raw().toBuffer();
    const d = await decodeImage(
      dcm({ bitsAllocated: 8, bitsStored: 8, transferSyntax: TS.jpegBaseline, pixels: { fragments: [jpeg] } }),
    );
    const stored = storedOf(d);
    let worst = 0;
    for (let i = 0; i < stored.length; i++) worst = Math.max(worst, Math.abs(stored[i] - viaSharp[i]));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it("masks bits above Bits Stored and honours High Bit", async () => {
    const dirty = Uint16Array.from(stored12, (v) => v | 0xf000); // overlay garbage in the top nibble
    expect(Array.from(storedOf(await decodeImage(dcm({ pixels: dirty }))))).toEqual(Array.from(stored12));
    const shifted = Uint16Array.from(stored12, (v) => (v << 4) | 0x5); // high bit 15, junk below
    expect(Array.from(storedOf(await decodeImage(dcm({ pixels: shifted, highBit: 15 }))))).toEqual(Array.from(stored12));
  });

  it("sign-extends signed data and scales it as TorchXRayVision does (no clamping)", async () => {
    const d = await decodeImage(dcm({ pixelRepresentation: 1, pixels: Uint16Array.from([0x0fff, 0x0800, 0x07ff, 0, ...stored12.subarray(4)]) }));
    expect(Array.from(storedOf(d).subarray(0, 4))).toEqual([-1, -2048, 2047, 0]);
    expect(d.pixels[0]).toBe(xrvScaleValue(-1, 4095));
    expect(d.pixels[1]).toBeLessThan(-2000);
  });

  it("MONOCHROME1 is inverted as (2^BitsStored - 1) - v for the model", async () => {
    const m1 = await decodeImage(dcm({ photometric: "MONOCHROME1", pixels: Uint16Array.from(stored12, (v) => 4095 - v) }));
    const m2 = await decodeImage(dcm({}));
    expect(Array.from(m1.pixels)).toEqual(Array.from(m2.pixels));
  });

  it("8-bit native data scales with maxval 255", async () => {
    const px = Uint8Array.from({ length: ROWS * COLS }, (_, i) => i % 256);
    const d = await decodeImage(dcm({ bitsAllocated: 8, bitsStored: 8, pixels: px }));
    expect(d.pixels[255]).toBe(1024);
    expect(d.pixels[0]).toBe(-1024);
  });

  it("multi-frame: first frame, with a warning (native and one-fragment-per-frame RLE)", async () => {
    const two = new Uint16Array(ROWS * COLS * 2);
    two.set(stored12, 0);
    two.fill(7, ROWS * COLS);
    const native = await decodeImage(dcm({ frames: 2, pixels: two }));
    expect(Array.from(storedOf(native))).toEqual(Array.from(stored12));
    expect(native.warnings.map((w) => w.code)).toContain("multi_frame");

    const rle = await decodeImage(
      dcm({ frames: 2, transferSyntax: TS.rle, pixels: { fragments: [encodeRle(stored12, 2), encodeRle(new Uint16Array(ROWS * COLS), 2)] } }),
    );
    expect(Array.from(storedOf(rle))).toEqual(Array.from(stored12));
    expect(rle.warnings.find((w) => w.code === "multi_frame")?.message).toMatch(/2 frames/);
  });

  it("a single frame split over several fragments is reassembled", async () => {
    const rle = encodeRle(stored12, 2);
    const d = await decodeImage(dcm({ transferSyntax: TS.rle, pixels: { fragments: [rle.subarray(0, 1000), rle.subarray(1000)] } }));
    expect(Array.from(storedOf(d))).toEqual(Array.from(stored12));
  });
});

describe("DICOM refusals name the problem", () => {
  it.each(["RGB", "PALETTE COLOR", "YBR_FULL_422"])("photometric %s -> unsupported_photometric", async (p) => {
    const err = decodeImage(dcm({ photometric: p }));
    await expect(err).rejects.toMatchObject({ code: "unsupported_photometric", httpStatus: 415 });
    await expect(err).rejects.toThrow(p);
  });

  it("lossy High-Throughput JPEG 2000 decodes close to the original, not bit-exact", async () => {
    const frame = await encodeHtj2k(stored12, COLS, ROWS, 12, { lossyStep: 0.002 });
    const d = await decodeImage(dcm({ transferSyntax: TS.htj2k, pixels: { fragments: [frame] } }));
    const stored = storedOf(d);
    let worst = 0;
    for (let i = 0; i < stored.length; i++) worst = Math.max(worst, Math.abs(stored[i] - stored12[i]));
    expect(worst).toBeGreaterThan(0); // the irreversible path really ran
    expect(worst).toBeLessThan(4096 * 0.02);
  });

  it("damaged and cut-off JPEG 2000 / HTJ2K frames are typed errors, never half an image", async () => {
    const htj2k = await encodeHtj2k(stored12, COLS, ROWS, 12);
    const j2k = await encodeJpeg2000(stored12, COLS, ROWS, 12);
    const scrambled = Uint8Array.from(htj2k);
    for (let i = 80; i < scrambled.length - 2; i += 7) scrambled[i] ^= 0x5a; // EOC kept
    await expect(decodeImage(dcm({ transferSyntax: TS.htj2kLossless, pixels: { fragments: [scrambled] } }))).rejects.toMatchObject({ code: "corrupt" });
    // Both codecs would decode the first half of a cut-off codestream and leave the rest blank.
    for (const [syntax, frame] of [[TS.htj2kLossless, htj2k], [TS.j2kLossless, j2k]] as const) {
      const half = frame.slice(0, Math.floor(frame.length / 2));
      await expect(decodeImage(dcm({ transferSyntax: syntax, pixels: { fragments: [half] } }))).rejects.toMatchObject({ code: "truncated" });
    }
  });

  it("unsupported transfer syntaxes are refused by name", async () => {
    const mpeg = decodeImage(dcm({ transferSyntax: "1.2.840.10008.1.2.4.100", pixels: { fragments: [new Uint8Array(64)] } }));
    await expect(mpeg).rejects.toMatchObject({ code: "unsupported_transfer_syntax", httpStatus: 415 });
    await expect(mpeg).rejects.toThrow(/MPEG2/);
    const unknown = decodeImage(dcm({ transferSyntax: "1.2.3.4.5.6", pixels: { fragments: [new Uint8Array(64)] } }));
    await expect(unknown).rejects.toThrow(/unknown transfer syntax.*1\.2\.3\.4\.5\.6/);
  });

  it("12-bit progressive JPEG is refused with a clear message, not mis-decoded (12-bit sequential is read)", async () => {
    // Just the frame header: SOI, SOF2 with precision 12, 72 x 80, one component.
    const sof2 = Uint8Array.from([0xff, 0xd8, 0xff, 0xc2, 0, 11, 12, 0, ROWS, 0, COLS, 1, 1, 0x11, 0, 0xff, 0xd9]);
    const err = decodeImage(dcm({ transferSyntax: "1.2.840.10008.1.2.4.51", pixels: { fragments: [sof2] } }));
    await expect(err).rejects.toMatchObject({ code: "unsupported_transfer_syntax" });
    await expect(err).rejects.toThrow(/12-bit progressive/);
  });

  it("bit depths other than 8/16 allocated are refused", async () => {
    await expect(decodeImage(dcm({ bitsAllocated: 32, bitsStored: 32, pixels: new Uint8Array(ROWS * COLS * 4) }))).rejects.toMatchObject({
      code: "unsupported_bit_depth",
    });
    await expect(decodeImage(dcm({ bitsAllocated: 1, bitsStored: 1, pixels: new Uint8Array(ROWS * COLS / 8) }))).rejects.toMatchObject({
      code: "unsupported_bit_depth",
    });
  });

  it("dimensions are checked from the header before any pixel is read", async () => {
    // No pixel data bytes at all: a size error (not "truncated") proves the order of checks.
    const tiny = new Uint8Array(0);
    await expect(decodeImage(dcm({ rows: 40, pixels: tiny }))).rejects.toMatchObject({ code: "dimensions_out_of_range" });
    await expect(decodeImage(dcm({ rows: 20000, pixels: tiny }))).rejects.toMatchObject({ code: "dimensions_out_of_range" });
    await expect(decodeImage(dcm({ rows: 16000, columns: 16000, pixels: tiny }))).rejects.toMatchObject({
      code: "decompression_bomb",
      httpStatus: 413,
    });
  });

  it("a compressed frame whose size disagrees with the header is refused before decoding", async () => {
    const rle = encodeRle(stored12, 2);
    await expect(decodeImage(dcm({ rows: ROWS + 8, transferSyntax: TS.rle, pixels: { fragments: [rle] } }))).rejects.toMatchObject({
      code: "truncated",
    });
    const sof3 = Uint8Array.from([0xff, 0xd8, 0xff, 0xc3, 0, 11, 12, 0x3f, 0xff, 0x3f, 0xff, 1, 1, 0x11, 0, 0xff, 0xd9]);
    await expect(decodeImage(dcm({ transferSyntax: TS.jpegLosslessSV1, pixels: { fragments: [sof3] } }))).rejects.toThrow(
      /16383 x 16383 pixels but the DICOM header says 80 x 72/,
    );
  });

  it("truncated native pixel data and truncated headers are typed errors", async () => {
    const full = dcm({});
    await expect(decodeImage(full.subarray(0, full.length - 100))).rejects.toMatchObject({ code: "truncated", httpStatus: 422 });
    for (const cut of [140, 200, 300]) {
      await expect(decodeImage(full.subarray(0, cut))).rejects.toMatchObject({ name: "ImagingError", httpStatus: 422 });
    }
  });

  it("a DICOM file without pixel data is not an image", async () => {
    const full = dcm({});
    const at = full.lastIndexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00]));
    await expect(decodeImage(full.subarray(0, at))).rejects.toThrow(/no pixel data/);
  });

  it("a deflated dataset that inflates past the limit is a decompression bomb", async () => {
    // Stream 300 MB of zeros through deflate in 1 MB steps: about 300 KB on disk.
    const deflater = zlib.createDeflateRaw({ level: 1 });
    const chunks: Buffer[] = [];
    deflater.on("data", (c: Buffer) => chunks.push(c));
    const done = new Promise((r) => deflater.on("end", r));
    const zeros = Buffer.alloc(1 << 20);
    for (let i = 0; i < 300; i++) deflater.write(zeros);
    deflater.end();
    await done;
    const head = deflateDicom(dcm({}));
    const metaEnd = head.indexOf(Buffer.from("1.2.840.10008.1.2.1.99", "latin1")) + 22 + 0;
    const tail = head.subarray(metaEnd);
    const implClass = tail.indexOf(Buffer.from([0x02, 0x00, 0x12, 0x00]));
    const metaStop = metaEnd + implClass + 8 + tail.readUInt16LE(implClass + 6);
    const bomb = Buffer.concat([head.subarray(0, metaStop), ...chunks]);
    await expect(decodeImage(bomb)).rejects.toMatchObject({ code: "decompression_bomb", httpStatus: 413 });
  }, 60_000);
});
