// Acceptance against the TorchXRayVision reference tensors: every fixture decodes and, through
// preprocessForModel, equals its reference tensor bit for bit (decoders and resize both exact).
import fs from "node:fs";
import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { decodeImage, preprocessForModel } from "./index";
import { writeDicom } from "@/test/support/imaging/dicom-writer";
import { encodeHtj2k } from "@/test/support/imaging/encoders";
import {
  fixturePath,
  fixturesPresent,
  maxAbsDiff,
  readFixture,
  readReference,
  readTensor,
  SKIP_NOTE,
} from "@/test/support/imaging/fixtures";
import { TS } from "@/test/support/imaging/seeds";

if (!fixturesPresent) console.warn(`[imaging fixtures.test] ${SKIP_NOTE}`);

const measured: { file: string; maxAbs: number }[] = [];
afterAll(() => {
  if (measured.length === 0) return;
  // Printed so CI logs and the report carry the actual numbers, not just pass/fail.
  console.log(
    "max-abs vs reference tensor:\n" +
      measured.map((m) => `  ${m.file.padEnd(48)} ${m.maxAbs.toExponential(3)}`).join("\n"),
  );
});

async function tensorOf(buf: Buffer) {
  const decoded = await decodeImage(buf, { qualityGates: "warn" });
  return { decoded, tensor: preprocessForModel(decoded) };
}

describe.skipIf(!fixturesPresent)("xrv/images: project preprocessing vs reference tensors", () => {
  const reference = fixturesPresent ? readReference() : { images: [] };

  for (const img of reference.images) {
    it(`${img.file} equals its reference tensor and the recorded stats`, async () => {
      const ref = readTensor("xrv", img.tensor);
      expect(ref.length).toBe(224 * 224);
      const refBytes = readFixture("xrv", img.tensor);
      expect(createHash("sha256").update(refBytes).digest("hex")).toBe(img.tensor_sha256);

      const { tensor } = await tensorOf(readFixture("xrv", "images", img.file));
      const maxAbs = maxAbsDiff(tensor, ref);
      measured.push({ file: `xrv/images/${img.file}`, maxAbs });
      expect(maxAbs).toBe(0);

      let sum = 0;
      let min = Infinity;
      let max = -Infinity;
      for (const v of tensor) {
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      expect(Math.abs(sum / tensor.length - img.tensor_mean)).toBeLessThan(1e-3);
      expect(min).toBe(Math.fround(img.tensor_min));
      expect(max).toBe(Math.fround(img.tensor_max));
    });
  }
});

describe.skipIf(!fixturesPresent)("dicom/: every encoding decodes to the 12-bit reference", () => {
  const files = fixturesPresent ? fs.readdirSync(fixturePath("dicom")).filter((f) => f.endsWith(".dcm")).sort() : [];
  const expectedSyntax: Record<string, string> = {
    "dx-12bit-deflated.dcm": "1.2.840.10008.1.2.1.99",
    "dx-12bit-explicit-be.dcm": "1.2.840.10008.1.2.2",
    "dx-12bit-explicit-le.dcm": "1.2.840.10008.1.2.1",
    "dx-12bit-implicit-le.dcm": "1.2.840.10008.1.2",
    "dx-12bit-jpeg-lossless-sv1.dcm": "1.2.840.10008.1.2.4.70",
    "dx-12bit-jpeg2000.dcm": "1.2.840.10008.1.2.4.90",
    "dx-12bit-jpegls-lossless.dcm": "1.2.840.10008.1.2.4.80",
    "dx-12bit-rle.dcm": "1.2.840.10008.1.2.5",
  };

  it("has the ten documented files", () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  for (const file of files) {
    it(`${file} decodes to dx-12bit-explicit-le's reference tensor exactly`, async () => {
      const ref = readTensor("xrv", "tensors", "dx-12bit-explicit-le.dcm.f32");
      const { decoded, tensor } = await tensorOf(readFixture("dicom", file));
      expect(decoded.format).toBe("dicom");
      expect([decoded.width, decoded.height]).toEqual([512, 430]);
      if (decoded.metadata.kind !== "dicom") throw new Error("expected DICOM metadata");
      expect(decoded.metadata.bitsStored).toBe(12);
      if (expectedSyntax[file]) expect(decoded.metadata.transferSyntax).toBe(expectedSyntax[file]);
      if (file.includes("monochrome1")) expect(decoded.metadata.photometric).toBe("MONOCHROME1");
      const maxAbs = maxAbsDiff(tensor, ref);
      measured.push({ file: `dicom/${file}`, maxAbs });
      expect(maxAbs).toBe(0);
    });
  }

  it("the same film re-encoded as HTJ2K (no such fixture exists) decodes to the same reference tensor", async () => {
    const ref = readTensor("xrv", "tensors", "dx-12bit-explicit-le.dcm.f32");
    const original = await decodeImage(readFixture("dicom", "dx-12bit-explicit-le.dcm"));
    if (original.display.kind !== "dicom") throw new Error("expected DICOM display data");
    const stored = Uint16Array.from(original.display.stored);
    const frame = await encodeHtj2k(stored, original.width, original.height, 12);
    const htj2k = writeDicom({ rows: original.height, columns: original.width, bitsStored: 12, transferSyntax: TS.htj2kLossless, pixels: { fragments: [frame] } });
    const { decoded, tensor } = await tensorOf(htj2k);
    if (decoded.display.kind !== "dicom") throw new Error("expected DICOM display data");
    expect(Array.from(decoded.display.stored)).toEqual(Array.from(original.display.stored));
    const maxAbs = maxAbsDiff(tensor, ref);
    measured.push({ file: "dicom/dx-12bit-explicit-le.dcm as HTJ2K", maxAbs });
    expect(maxAbs).toBe(0);
  });

  it("dx-12bit-lateral.dcm carries a non-frontal warning, the PA files do not", async () => {
    const lateral = await decodeImage(readFixture("dicom", "dx-12bit-lateral.dcm"));
    expect(lateral.warnings.map((w) => w.code)).toContain("non_frontal_view");
    expect(lateral.warnings.find((w) => w.code === "non_frontal_view")?.message).toMatch(/LL/);
    const pa = await decodeImage(readFixture("dicom", "dx-12bit-explicit-le.dcm"));
    expect(pa.warnings).toEqual([]);
  });

  it("keeps study identifiers but never the patient's name or ID", async () => {
    const d = await decodeImage(readFixture("dicom", "dx-12bit-explicit-le.dcm"));
    expect(d.metadata).toMatchObject({ kind: "dicom", modality: "DX", viewPosition: "PA", bodyPart: "CHEST" });
    if (d.metadata.kind === "dicom") expect(d.metadata.accessionNumber).toBe("ACC-42");
    const json = JSON.stringify(d.metadata);
    expect(json).not.toMatch(/DOE|JANE|FIXTURE-0001/);
  });
});

describe.skipIf(!fixturesPresent)("not-xray/", () => {
  it("astronaut.png carries a not-a-radiograph warning", async () => {
    const d = await decodeImage(readFixture("not-xray", "astronaut.png"));
    expect(d.metadata).toMatchObject({ kind: "raster", colour: true, channels: 3 });
    expect(d.warnings.map((w) => w.code)).toContain("not_a_radiograph");
  });

  it("grey radiographs stored as RGB are not flagged as colour", async () => {
    for (const f of ["h0001.png", "tb0005.png", "16747_3_1.jpg", "covid-19-pneumonia-58-prior.jpg"]) {
      const d = await decodeImage(readFixture("xrv", "images", f));
      expect(d.warnings.map((w) => w.code), f).not.toContain("not_a_radiograph");
    }
  });
});
