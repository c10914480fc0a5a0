// Frames must deliver the samples their headers promise: the fuzz families of cut frames and lying
// headers are each refused with their own code and a message that names the mismatch, and a damaged
// JPEG-LS frame costs at most about what an intact one does (a pixel-proportional decode budget).
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { decodeImage } from "./index";
import { runCodec } from "./dicom/codec-pool";
import { parseDicomFile } from "./dicom/parse";
import { syntheticPixels, writeDicom, type ImageSpec } from "@/test/support/imaging/dicom-writer";
import { encodeJpegLossless, encodeJpegLs, encodeRle } from "@/test/support/imaging/encoders";
import { fixturesPresent, readFixture, SKIP_NOTE } from "@/test/support/imaging/fixtures";
import { greySamples16, greySamples8, TS } from "@/test/support/imaging/seeds";
import { seededRandom } from "@/lib/model-builder/densenet/random-weights";

const ROWS = 200;
const COLS = 180;
const s12 = greySamples16(ROWS, COLS, 12);
const dcm = (spec: Partial<ImageSpec>) => writeDicom({ rows: ROWS, columns: COLS, bitsStored: 12, pixels: s12, ...spec });

async function refusal(buf: Buffer): Promise<{ code: string; message: string }> {
  try {
    await decodeImage(buf, { qualityGates: "warn" });
  } catch (e) {
    const { code, message } = e as { code: string; message: string };
    return { code, message };
  }
  throw new Error("decoded, expected a refusal");
}

/** The SOF height of a JPEG codestream rewritten, so the header claims rows the data lacks. */
function claimRows(jpeg: Uint8Array, sof: number, rows: number): Buffer {
  const out = Buffer.from(jpeg);
  for (let p = 0; p < out.length - 6; p++) {
    if (out[p] === 0xff && out[p + 1] === sof) {
      out.writeUInt16BE(rows, p + 5);
      return out;
    }
  }
  throw new Error("no frame header");
}

function firstFragment(buf: Buffer): Uint8Array {
  const el = parseDicomFile(buf).elements.x7fe00010;
  const f = el.fragments![0];
  return buf.subarray(f.position, f.position + f.length);
}

describe("cut frames are refused as truncated", () => {
  const lossless = encodeJpegLossless(s12, COLS, ROWS, 12);
  it.each([0.1, 0.5, 0.99])("JPEG Lossless frame cut to %s of its length", async (share) => {
    const cut = lossless.subarray(0, Math.floor(lossless.length * share));
    const r = await refusal(dcm({ transferSyntax: TS.jpegLosslessSV1, pixels: { fragments: [cut] } }));
    expect(r).toMatchObject({ code: "truncated" });
    expect(r.message).toMatch(/ends early/);
  });

  it("JPEG-LS and baseline JPEG frames cut short", async () => {
    const ls = await encodeJpegLs(s12, COLS, ROWS, 12);
    expect(await refusal(dcm({ transferSyntax: TS.jpegLs, pixels: { fragments: [ls.subarray(0, ls.length >> 1)] } }))).toMatchObject({ code: "truncated" });
    const g8 = greySamples8(ROWS, COLS);
    const jpeg = await sharp(g8, { raw: { width: COLS, height: ROWS, channels: 1 } }).toColourspace("b-w").jpeg().toBuffer();
    const cut = jpeg.subarray(0, Math.floor(jpeg.length * 0.6));
    expect(await refusal(dcm({ bitsAllocated: 8, bitsStored: 8, transferSyntax: TS.jpegBaseline, pixels: { fragments: [cut] } }))).toMatchObject({
      code: "truncated",
    });
    expect(await refusal(cut)).toMatchObject({ code: "truncated" });
  });

  describe.skipIf(!fixturesPresent)("the fixture films' frames", () => {
    if (!fixturesPresent) console.warn(`[imaging integrity.test] fixture frames ${SKIP_NOTE}`);
    it.each([600, 1000, 5000])("JPEG Lossless fixture frame cut to %i bytes", async (bytes) => {
      const frame = firstFragment(readFixture("dicom", "dx-12bit-jpeg-lossless-sv1.dcm"));
      const file = writeDicom({ rows: 430, columns: 512, bitsStored: 12, transferSyntax: TS.jpegLosslessSV1, pixels: { fragments: [frame.subarray(0, bytes)] } });
      expect(await refusal(file)).toMatchObject({ code: "truncated" });
    });
  });
});

describe("headers that contradict the data are refused with the mismatch named", () => {
  it("a JPEG Lossless frame header claiming more rows than its data holds", async () => {
    const half = encodeJpegLossless(s12.subarray(0, 100 * COLS), COLS, 100, 12);
    const r = await refusal(dcm({ transferSyntax: TS.jpegLosslessSV1, pixels: { fragments: [claimRows(half, 0xc3, ROWS)] } }));
    expect(r.code).toBe("header_mismatch");
    expect(r.message).toMatch(/promises 200 rows but its data ends after 100/);
  });

  it("a JPEG file whose frame header claims more rows than it has", async () => {
    const g8 = greySamples8(ROWS, COLS);
    const jpeg = await sharp(g8, { raw: { width: COLS, height: ROWS, channels: 1 } }).toColourspace("b-w").jpeg().toBuffer();
    const r = await refusal(claimRows(jpeg, 0xc0, ROWS * 2));
    expect(r.code).toBe("header_mismatch");
    expect(r.message).toMatch(/rows its header promises/);
  });

  it("Bits Allocated 8 on 16-bit data", async () => {
    const r = await refusal(dcm({ bitsAllocated: 8, bitsStored: 8, pixels: new Uint8Array(s12.buffer) }));
    expect(r.code).toBe("header_mismatch");
    expect(r.message).toMatch(/holds 72000 bytes .* 8 bits allocated.* describes 36000/);
  });

  it.each([1, 2])("Bits Stored %i", async (bits) => {
    const r = await refusal(dcm({ bitsStored: bits }));
    expect(r.code).toBe("unsupported_bit_depth");
    expect(r.message).toMatch(new RegExp(`says ${bits} bits? stored`));
  });

  it.each([
    ["Columns halved", { columns: COLS / 2 }],
    ["Rows smaller", { rows: ROWS - 50 }],
  ] as const)("%s than the pixel data", async (_, spec) => {
    const r = await refusal(dcm(spec));
    expect(r.code).toBe("header_mismatch");
    expect(r.message).toMatch(/Rows, Columns, Bits Allocated or Number of Frames do not match/);
  });

  it("Rows larger than the pixel data", async () => {
    expect(await refusal(dcm({ rows: ROWS + 50 }))).toMatchObject({ code: "truncated" });
  });

  it("an RLE frame holding more pixels than Rows x Columns", async () => {
    const r = await refusal(dcm({ rows: ROWS - 50, transferSyntax: TS.rle, pixels: { fragments: [encodeRle(s12, 2)] } }));
    expect(r.code).toBe("header_mismatch");
  });

  it("a codestream with wider samples than Bits Allocated", async () => {
    const r = await refusal(dcm({ bitsAllocated: 8, bitsStored: 8, transferSyntax: TS.jpegLosslessSV1, pixels: { fragments: [encodeJpegLossless(s12, COLS, ROWS, 12)] } }));
    expect(r.code).toBe("header_mismatch");
    expect(r.message).toMatch(/12-bit samples but the DICOM header says 8 bits allocated/);
  });

  it("JPEG-LS data labelled as baseline or lossless JPEG, and lossless JPEG labelled JPEG-LS", async () => {
    const ls = await encodeJpegLs(s12, COLS, ROWS, 12);
    for (const ts of [TS.jpegBaseline, TS.jpegLosslessSV1]) {
      const r = await refusal(dcm({ transferSyntax: ts, pixels: { fragments: [ls] } }));
      expect(r.code).toBe("syntax_mismatch");
      expect(r.message).toMatch(/but the frame is JPEG-LS/);
    }
    const r = await refusal(dcm({ transferSyntax: TS.jpegLs, pixels: { fragments: [encodeJpegLossless(s12, COLS, ROWS, 12)] } }));
    expect(r).toMatchObject({ code: "syntax_mismatch" });
    expect(r.message).toMatch(/JPEG-LS Lossless but the frame is lossless JPEG/);
  });
});

describe("a damaged JPEG-LS frame costs at most 3x an intact one", () => {
  // 38 megapixels (just under the decoder's 40 MP bound): an intact decode takes long enough (about 0.7 s
  // on a quiet core) that the budget, twice the measured time, is above its one-second floor, so what is
  // compared is the pixel-proportional budget itself. At 16 MP a quiet core decodes in 0.3 s and the
  // floor alone made the ratio 3.5.
  const N = 6144;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  it("refused by the pixel-proportional budget when the codec spins on it", async () => {
    const random = seededRandom(3);
    const px = new Uint16Array(N * N);
    for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) px[y * N + x] = (x * 3 + y * 5 + Math.floor(random() * 24)) & 0xfff;
    const ls = await encodeJpegLs(px, N, N, 12);
    const job = { codec: "charls" as const, rows: N, columns: N, precision: 12, syntax: "JPEG-LS Lossless" };
    await runCodec({ ...job, data: ls }); // loads the codec
    const intact: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await runCodec({ ...job, data: ls });
      intact.push(performance.now() - t);
    }
    // Cut frames make CharLS spin for seconds; decodeImage refuses them earlier (no end marker), so the
    // codec is driven directly here to prove the budget stops what gets through.
    const cut = ls.subarray(0, Math.floor(ls.length * 0.05));
    const t = performance.now();
    const error = await runCodec({ ...job, data: cut }).then(
      () => null,
      (e: unknown) => e as { code?: string },
    );
    const damaged = performance.now() - t;
    const ratio = damaged / median(intact);
    console.log(`JPEG-LS ${N}x${N}: intact ${intact.map((v) => v.toFixed(0)).join("/")} ms, damaged refused (${error?.code}) after ${damaged.toFixed(0)} ms: ${ratio.toFixed(2)}x`);
    expect(error?.code).toMatch(/^(decode_timeout|corrupt)$/);
    expect(ratio).toBeLessThanOrEqual(3);
  }, 240_000);

  it("refused before decoding, through decodeImage", async () => {
    const px = Uint16Array.from(syntheticPixels(1024, 1024, 4095, { noise: 0.05, seed: 4 }));
    const ls = await encodeJpegLs(px, 1024, 1024, 12);
    const file = (data: Uint8Array) => writeDicom({ rows: 1024, columns: 1024, bitsStored: 12, transferSyntax: TS.jpegLs, pixels: { fragments: [data] } });
    await decodeImage(file(ls));
    const intact: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await decodeImage(file(ls));
      intact.push(performance.now() - t);
    }
    const t = performance.now();
    await expect(decodeImage(file(ls.subarray(0, ls.length >> 2)))).rejects.toMatchObject({ code: "truncated" });
    expect((performance.now() - t) / median(intact)).toBeLessThanOrEqual(3);
  }, 120_000);
});
