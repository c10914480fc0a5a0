// The project's 12-bit lossy JPEG decoder against the IJG library: files made by DCMTK (12-bit, process
// 4) and libjpeg-turbo (8-bit with restart markers), whose own decodes' digests were recorded when the
// files were made (testing/data/make-jpeg-extended.ts). Equal digests mean sample-for-sample equality.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { decodeImage } from "../index";
import { syntheticPixels } from "@/test/support/imaging/dicom-writer";
import { decodeJpegExtended } from "./jpeg-extended.mjs";

interface Entry {
  file: string;
  kind: "dicom" | "jpeg";
  width: number;
  height: number;
  precision: number;
  ijgSha256: string;
}

const dataDir = fileURLToPath(new URL("../../../test/support/imaging/data", import.meta.url));
const entries = JSON.parse(fs.readFileSync(path.join(dataDir, "jpeg-extended.json"), "utf8")) as Entry[];
const read = (file: string) => fs.readFileSync(path.join(dataDir, file));
const digest = (samples: Uint16Array) => createHash("sha256").update(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength)).digest("hex");

/** The encapsulated frame of a single-fragment DICOM: from the JPEG SOI marker to EOI. */
function jpegFrameOf(dicom: Buffer): Uint8Array {
  const start = dicom.indexOf(Buffer.from([0xff, 0xd8, 0xff]));
  const end = dicom.lastIndexOf(Buffer.from([0xff, 0xd9]));
  return new Uint8Array(dicom.subarray(start, end + 2));
}

function storedOf(d: Awaited<ReturnType<typeof decodeImage>>): Int32Array {
  if (d.display.kind !== "dicom") throw new Error("not DICOM");
  return d.display.stored;
}

describe("12-bit lossy JPEG decoder (IJG-exact)", () => {
  it("has the three reference files", () => {
    expect(entries.map((e) => e.file).sort()).toEqual(["jpeg12-gradient.dcm", "jpeg12-noisy.dcm", "jpeg8-restart.jpg"]);
  });

  for (const e of entries.filter((x) => x.kind === "dicom")) {
    it(`${e.file}: the DICOM pipeline gives IJG's samples exactly, close to the source pixels`, async () => {
      const d = await decodeImage(read(e.file));
      expect([d.width, d.height]).toEqual([e.width, e.height]);
      if (d.metadata.kind !== "dicom") throw new Error("expected DICOM metadata");
      expect(d.metadata.transferSyntax).toBe("1.2.840.10008.1.2.4.51");
      const stored = Uint16Array.from(storedOf(d));
      expect(digest(stored)).toBe(e.ijgSha256);
      // And it is the picture that was encoded: lossy, and DCMTK stretches the value range to the full
      // 12 bits before encoding, so compare after normalising both to [0, 1].
      const source = syntheticPixels(e.height, e.width, 4095, { noise: e.file.includes("noisy") ? 0.07 : 0 });
      const normalised = (v: ArrayLike<number>) => {
        let lo = Infinity;
        let hi = -Infinity;
        for (let i = 0; i < v.length; i++) [lo, hi] = [Math.min(lo, v[i]), Math.max(hi, v[i])];
        return Float64Array.from(v, (x) => (x - lo) / (hi - lo));
      };
      const [a, b] = [normalised(stored), normalised(source)];
      let sum = 0;
      for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
      expect(sum / a.length).toBeLessThan(e.file.includes("noisy") ? 0.05 : 0.01);
    });
  }

  it("restart intervals: libjpeg-turbo's 8-bit file with a restart every 5 blocks decodes exactly as djpeg does", () => {
    const e = entries.find((x) => x.file === "jpeg8-restart.jpg")!;
    const bytes = new Uint8Array(read(e.file));
    expect(Buffer.from(bytes).indexOf(Buffer.from([0xff, 0xdd]))).toBeGreaterThan(0); // DRI present
    const out = decodeJpegExtended(bytes);
    expect([out.width, out.height, out.precision]).toEqual([e.width, e.height, 8]);
    expect(digest(out.samples)).toBe(e.ijgSha256);
  });

  it("a frame cut short, a lost restart marker and scrambled data are errors, never a silent picture", () => {
    const frame = jpegFrameOf(read("jpeg12-noisy.dcm"));
    expect(() => decodeJpegExtended(frame.subarray(0, Math.floor(frame.length * 0.6)))).toThrow(/ends early/);
    const restart = new Uint8Array(read("jpeg8-restart.jpg"));
    const rst = Buffer.from(restart).indexOf(Buffer.from([0xff, 0xd0]));
    const noMarker = Uint8Array.from(restart);
    noMarker[rst + 1] = 0x00; // the RST0 marker becomes a stuffed 0xFF data byte
    expect(() => decodeJpegExtended(noMarker)).toThrow(/damaged JPEG/);
    let refused = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const scrambled = Uint8Array.from(frame);
      for (let i = 700 + seed; i < scrambled.length - 2; i += 37) scrambled[i] ^= (seed * 29) & 0xff;
      try {
        const out = decodeJpegExtended(scrambled);
        expect(out.samples).toHaveLength(203 * 157); // decoded to something of the right size
      } catch (error) {
        expect(String(error)).toMatch(/damaged JPEG/);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
  });

  it("refuses what it does not decode with a reason", () => {
    const frame = jpegFrameOf(read("jpeg12-gradient.dcm"));
    const sof = Buffer.from(frame).indexOf(Buffer.from([0xff, 0xc1]));
    const progressive = Uint8Array.from(frame);
    progressive[sof + 1] = 0xc2;
    expect(() => decodeJpegExtended(progressive)).toThrow(/unsupported JPEG: progressive/);
    expect(() => decodeJpegExtended(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toThrow(/start-of-image/);
  });
});
