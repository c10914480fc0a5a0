// Seeded, bounded fuzz of the refusals that keep a half-decoded film from being scored: 12-bit JPEG
// Extended frames cut to 75-98% with an end-of-image marker appended, the same with a frame header
// promising 6000 x 6000, the same cuts of 8-bit baseline, lossless JPEG and JPEG-LS frames, raster
// JPEGs cut with EOI alone and at concurrency 16, JPEG 2000 cut with EOC appended, and multi-frame
// native data whose size is not frames x frame size. The broken files are
// built here from the shared fixtures (and the 12-bit JPEG files in testing/data); none may decode.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { decodeImage } from "./index";
import { isImagingError } from "./errors";
import { decodeJpegExtended } from "./dicom/jpeg-extended.mjs";
import { parseDicomFile } from "./dicom/parse";
import { writeDicom } from "@/test/support/imaging/dicom-writer";
import { fixturePath, fixturesPresent, readFixture, SKIP_NOTE } from "@/test/support/imaging/fixtures";
import { TS } from "@/test/support/imaging/seeds";
import { seededRandom } from "@/lib/model-builder/densenet/random-weights";

const SEED = 20261206;
const JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";
const EOI = Buffer.from([0xff, 0xd9]);
const dataDir = fileURLToPath(new URL("../../test/support/imaging/data", import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cxr-refusals-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

if (!fixturesPresent) console.warn(`[imaging decode-refusals.test] ${SKIP_NOTE}`);

/** Decodes and reports what happened: "decoded" or the imaging error code (anything else throws). */
async function outcome(buf: Buffer): Promise<string> {
  try {
    await decodeImage(buf, { qualityGates: "warn" });
    return "decoded";
  } catch (e) {
    if (!isImagingError(e)) throw e;
    return e.code;
  }
}

interface Frame {
  name: string;
  rows: number;
  columns: number;
  jpeg: Uint8Array;
}

/** The whole encapsulated first frame (all fragments) and the image size of a one-frame DICOM. */
function frameOf(name: string, buf: Buffer): Frame {
  const ds = parseDicomFile(buf);
  const el = ds.elements.x7fe00010;
  const jpeg = Buffer.concat(el.fragments!.map((f) => buf.subarray(f.position, f.position + f.length)));
  return { name, rows: ds.uint16("x00280010")!, columns: ds.uint16("x00280011")!, jpeg: new Uint8Array(jpeg) };
}

/** DCMTK's 12-bit process-4 encoding of a fixture film, made now (dcmtk is a CI package). */
function jpegExtendedOfFixture(file: string): Frame {
  const out = path.join(tmp, `${file}.jpeg12.dcm`);
  execFileSync("dcmcjpeg", ["+ee", "+q", "85", fixturePath("xrv", "images", file), out], { stdio: ["ignore", "ignore", "inherit"] });
  return frameOf(file, fs.readFileSync(out));
}

const wrap = (f: Frame, jpeg: Uint8Array, size = { rows: f.rows, columns: f.columns }) =>
  writeDicom({ ...size, bitsAllocated: 16, bitsStored: 12, transferSyntax: JPEG_EXTENDED, pixels: { fragments: [padEven(jpeg)] } });

const padEven = (b: Uint8Array) => (b.length % 2 ? Buffer.concat([b, new Uint8Array(1)]) : b);

/** `frame` cut to `share` of its length, with the end-of-image marker appended. */
const cutWithEoi = (frame: Uint8Array, share: number) => Buffer.concat([frame.subarray(0, Math.floor(frame.length * share)), EOI]);

/** The SOF of a JPEG rewritten to claim `rows` x `columns`. */
function claimSize(jpeg: Uint8Array, rows: number, columns: number): Buffer {
  const out = Buffer.from(jpeg);
  for (let p = 2; p < out.length - 8; p++) {
    if (out[p] === 0xff && (out[p + 1] === 0xc0 || out[p + 1] === 0xc1)) {
      out.writeUInt16BE(rows, p + 5);
      out.writeUInt16BE(columns, p + 7);
      return out;
    }
  }
  throw new Error("no frame header");
}

function frames12(): Frame[] {
  const repo = ["jpeg12-noisy.dcm", "jpeg12-gradient.dcm"].map((f) => frameOf(f, fs.readFileSync(path.join(dataDir, f))));
  return fixturesPresent ? [...repo, jpegExtendedOfFixture("dx-12bit-explicit-le.dcm")] : repo;
}

describe("12-bit JPEG Extended: cut frames and oversized headers are refused", () => {
  const frames = frames12();

  it("the intact frames decode (the cases below differ from them only by the damage)", async () => {
    for (const f of frames) expect(await outcome(wrap(f, f.jpeg)), f.name).toBe("decoded");
  });

  it("cut to 75-98% with EOI appended: 16 seeded cuts per film, none decodes", async () => {
    const random = seededRandom(SEED);
    const decoded: string[] = [];
    for (const f of frames) {
      for (let i = 0; i < 16; i++) {
        const share = 0.75 + random() * 0.23;
        const cut = cutWithEoi(f.jpeg, share);
        expect(() => decodeJpegExtended(cut), `${f.name} at ${share}`).toThrow(/damaged JPEG/);
        const got = await outcome(wrap(f, cut));
        if (got === "decoded") decoded.push(`${f.name} cut to ${share.toFixed(3)}`);
      }
    }
    expect(decoded).toEqual([]);
  });

  it("a frame header promising 6000 x 6000 over the same data is refused before the samples are allocated", async () => {
    for (const f of frames) {
      const big = claimSize(f.jpeg, 6000, 6000);
      expect(() => decodeJpegExtended(big)).toThrow(/promises 6000 x 6000 pixels but the scan holds too little data/);
      expect(await outcome(wrap(f, big, { rows: 6000, columns: 6000 }))).not.toBe("decoded");
      // Cut and oversized together.
      expect(() => decodeJpegExtended(claimSize(cutWithEoi(f.jpeg, 0.9), 6000, 6000))).toThrow(/damaged JPEG/);
    }
  });
});

describe.skipIf(!fixturesPresent)("8-bit baseline JPEG in DICOM cut with EOI appended", () => {
  it("the fixture's frame cut to 75-98% with EOI appended: 12 seeded cuts, none decodes", async () => {
    const buf = readFixture("xrv", "images", "siim-jpeg-baseline.dcm");
    const ds = parseDicomFile(buf);
    const f = frameOf("siim-jpeg-baseline.dcm", buf);
    const rewrap = (jpeg: Uint8Array) =>
      writeDicom({
        rows: f.rows,
        columns: f.columns,
        bitsAllocated: 8,
        bitsStored: 8,
        photometric: ds.string("x00280004") ?? "MONOCHROME2",
        transferSyntax: TS.jpegBaseline,
        pixels: { fragments: [padEven(jpeg)] },
      });
    expect(await outcome(rewrap(f.jpeg))).toBe("decoded");
    const random = seededRandom(SEED + 3);
    const decoded: string[] = [];
    for (let i = 0; i < 12; i++) {
      const share = 0.75 + random() * 0.23;
      if ((await outcome(rewrap(cutWithEoi(f.jpeg, share)))) === "decoded") decoded.push(share.toFixed(3));
    }
    expect(decoded).toEqual([]);
  });
});

describe.skipIf(!fixturesPresent)("lossless JPEG and JPEG-LS in DICOM cut with EOI appended", () => {
  it.each(["dx-12bit-jpeg-lossless-sv1.dcm", "dx-12bit-jpegls-lossless.dcm"])("%s: 8 seeded cuts to 50-98%%, none decodes", async (file) => {
    const buf = readFixture("dicom", file);
    const ds = parseDicomFile(buf);
    const f = frameOf(file, buf);
    const rewrap = (jpeg: Uint8Array) =>
      writeDicom({
        rows: f.rows,
        columns: f.columns,
        bitsAllocated: ds.uint16("x00280100")!,
        bitsStored: ds.uint16("x00280101")!,
        transferSyntax: ds.string("x00020010")!.replace(/\0/g, "").trim(),
        pixels: { fragments: [padEven(jpeg)] },
      });
    expect(await outcome(rewrap(f.jpeg))).toBe("decoded");
    const random = seededRandom(SEED + 4);
    const decoded: string[] = [];
    for (let i = 0; i < 8; i++) {
      const share = 0.5 + random() * 0.48;
      if ((await outcome(rewrap(cutWithEoi(f.jpeg, share)))) === "decoded") decoded.push(share.toFixed(3));
    }
    expect(decoded).toEqual([]);
  });
});

describe.skipIf(!fixturesPresent)("raster JPEG cut with EOI appended", () => {
  const films = fixturesPresent ? ["16747_3_1.jpg", "covid-19-pneumonia-58-prior.jpg"].map((f) => readFixture("xrv", "images", f)) : [];
  const random = seededRandom(SEED + 1);
  const cuts = films.flatMap((film) => Array.from({ length: 8 }, () => cutWithEoi(film, 0.3 + random() * 0.65)));

  it("uploaded alone, every cut is refused", async () => {
    for (const [i, cut] of cuts.entries()) expect(await outcome(cut), `cut ${i}`).not.toBe("decoded");
  });

  /**
   * A film with junk bytes before a marker: libjpeg's benign "extraneous bytes before marker" warning,
   * which must not be mistaken for damage (its pixels are all there).
   */
  const withExtraneousBytes = (film: Buffer) => {
    const sos = film.indexOf(Buffer.from([0xff, 0xda]));
    return Buffer.concat([film.subarray(0, sos), Buffer.from([0x12, 0x34, 0x56]), film.subarray(sos)]);
  };

  it("a film with a benign warning (extraneous bytes before a marker) decodes alone", async () => {
    for (const film of films) expect(await outcome(withExtraneousBytes(film))).toBe("decoded");
  });

  it("at concurrency 16, beside intact films and films with benign warnings, every cut is still refused and every whole film decodes", async () => {
    for (let round = 0; round < 2; round++) {
      const whole = films.flatMap((buf) => [buf, withExtraneousBytes(buf)]);
      const batch = [...cuts.slice(0, 12).map((buf) => ({ buf, intact: false })), ...whole.map((buf) => ({ buf, intact: true }))];
      const got = await Promise.all(batch.map(async ({ buf, intact }) => ({ intact, result: await outcome(buf) })));
      expect(got.filter((g) => !g.intact && g.result === "decoded")).toEqual([]);
      expect(got.filter((g) => g.intact).map((g) => g.result)).toEqual(Array(whole.length).fill("decoded"));
    }
  });
});

describe.skipIf(!fixturesPresent)("JPEG 2000 cut with EOC appended", () => {
  it("a fixture codestream cut to 40-95% with EOC appended never decodes", async () => {
    const buf = readFixture("dicom", "dx-12bit-jpeg2000.dcm");
    const ds = parseDicomFile(buf);
    const el = ds.elements.x7fe00010;
    const f = el.fragments![0];
    const j2k = buf.subarray(f.position, f.position + f.length);
    const size = { rows: ds.uint16("x00280010")!, columns: ds.uint16("x00280011")! };
    const make = (codestream: Uint8Array) =>
      writeDicom({ ...size, bitsAllocated: 16, bitsStored: 12, transferSyntax: TS.j2kLossless, pixels: { fragments: [padEven(codestream)] } });
    expect(await outcome(make(j2k))).toBe("decoded");
    const random = seededRandom(SEED + 2);
    for (let i = 0; i < 8; i++) {
      const end = j2k[j2k.length - 1] === 0 ? j2k.length - 3 : j2k.length - 2;
      const cut = Buffer.concat([j2k.subarray(0, Math.floor(end * (0.4 + random() * 0.55))), EOI]);
      expect(await outcome(make(cut)), `cut ${i}`).not.toBe("decoded");
    }
  });
});

describe.skipIf(!fixturesPresent)("native multi-frame data must be frames x frame size", () => {
  const ds = fixturesPresent ? parseDicomFile(readFixture("xrv", "images", "dx-12bit-explicit-le.dcm")) : undefined;
  const rows = ds?.uint16("x00280010") ?? 0;
  const columns = ds?.uint16("x00280011") ?? 0;
  const el = ds?.elements.x7fe00010;
  const pixels = el ? ds!.byteArray.subarray(el.dataOffset, el.dataOffset + rows * columns * 2) : new Uint8Array(0);
  const twoFrames = Buffer.concat([pixels, pixels]);
  const make = (size: { rows: number; columns: number }, frames = 2) =>
    writeDicom({ ...size, frames, bitsStored: 12, pixels: new Uint8Array(twoFrames) });

  it("two whole frames decode; Columns or Rows raised by one, or a third frame declared, is refused as a header mismatch", async () => {
    expect(await outcome(make({ rows, columns }))).toBe("decoded");
    expect(await outcome(make({ rows, columns: columns + 1 }))).toBe("header_mismatch");
    expect(await outcome(make({ rows: rows + 1, columns }))).toBe("header_mismatch");
    expect(await outcome(make({ rows, columns }, 3))).toBe("header_mismatch");
  });
});
