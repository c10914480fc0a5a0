// De-identification of every DICOM encoding the app takes (the ten fixture encodings and the 8-bit and
// 12-bit fixture films, plus a PACS-style instance with a full patient module): dciodvfy finds no error
// in what is written, the pixels decode exactly as before, and no byte of the output holds the patient's
// name, ID, birth date, accession number or any original UID.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { testInstance } from "@/test/support/dicomweb/instances";
import { decodeImage } from "@/lib/imaging/decode";
import { fixturePath } from "@/test/support/imaging/fixtures";
import { readDicomFile, writeDicomFile } from "@/lib/pacs/dicom-file";
import { dciodvfyErrors } from "@/test/support/pacs/dicom-tools";
import { conformantDx } from "@/test/support/conformant-dx";
import { deidentifyDicom, NotExportableError } from "./deidentify";

const KEY = { salt: "test-salt-0123456789", dayShift: -400 };

function films(): { name: string; bytes: Buffer }[] {
  const dicomDir = fixturePath("dicom");
  const xrvDir = fixturePath("xrv", "images");
  const listed = [
    ...fs.readdirSync(dicomDir).map((f) => path.join(dicomDir, f)),
    ...fs.readdirSync(xrvDir).filter((f) => f.endsWith(".dcm")).map((f) => path.join(xrvDir, f)),
  ];
  return [
    ...listed.map((f) => ({ name: path.basename(f), bytes: fs.readFileSync(f) })),
    { name: "pacs-instance", bytes: testInstance("dx", 9301).bytes },
    { name: "conformant DX", bytes: conformantDx(9305) },
  ];
}

const text = (v: unknown) => (typeof v === "string" ? v : Array.isArray(v) ? String(v[0] ?? "") : "");

describe("DICOM de-identification (PS3.15 Annex E basic profile)", () => {
  it("writes a conformant film as a conformant film (dciodvfy: no error at all)", async () => {
    const source = conformantDx(9306);
    expect(await dciodvfyErrors(source)).toEqual([]);
    expect(await dciodvfyErrors(deidentifyDicom(source, KEY, "EXPORT-0002"))).toEqual([]);
  });

  for (const film of films()) {
    it(`${film.name}: valid, same pixels, no identifier left`, async () => {
      const { dataset: before } = readDicomFile(film.bytes);
      const out = deidentifyDicom(film.bytes, KEY, "EXPORT-0001");
      // What the source lacks and cannot be known (a DX film without its detector's spacing) stays an
      // error; de-identification adds none.
      // dciodvfy cannot read a deflated file: its baseline is the same film in explicit VR (identical values).
      const baseline = film.name.includes("deflated") ? fs.readFileSync(fixturePath("dicom", "dx-12bit-explicit-le.dcm")) : film.bytes;
      const sourceErrors = new Set(await dciodvfyErrors(baseline));
      expect((await dciodvfyErrors(out)).filter((e) => !sourceErrors.has(e))).toEqual([]);
      const { dataset: after } = readDicomFile(out);
      expect(after).toMatchObject({ PatientIdentityRemoved: "YES", PatientID: "EXPORT-0001", Modality: before.Modality });

      const a = await decodeImage(film.bytes, { qualityGates: "warn" });
      const b = await decodeImage(out, { qualityGates: "warn" });
      expect([b.width, b.height]).toEqual([a.width, a.height]);
      expect(Buffer.from(b.pixels.buffer).equals(Buffer.from(a.pixels.buffer))).toBe(true);

      const name = text(before.PatientName) || (before.PatientName as { Alphabetic?: string }[] | undefined)?.[0]?.Alphabetic || "";
      const traces = [
        name,
        ...name.split("^").filter((p) => p.length > 2),
        text(before.PatientID),
        text(before.PatientBirthDate),
        text(before.AccessionNumber),
        text(before.StudyInstanceUID),
        text(before.SeriesInstanceUID),
        text(before.SOPInstanceUID),
        text(before.StudyDate),
      ].filter((t) => t.length > 2);
      expect(traces.length).toBeGreaterThanOrEqual(4);
      const bytes = out.toString("latin1");
      expect(traces.filter((t) => bytes.includes(t))).toEqual([]);
    });
  }

  it("gives one original UID the same new UID within an export, and another in the next export", () => {
    const film = testInstance("dx", 9302);
    const uid = (bytes: Buffer) => text(readDicomFile(bytes).dataset.StudyInstanceUID);
    expect(uid(deidentifyDicom(film.bytes, KEY, "EXPORT-0001"))).toBe(uid(deidentifyDicom(film.bytes, KEY, "EXPORT-0001")));
    expect(uid(deidentifyDicom(film.bytes, { ...KEY, salt: "another" }, "EXPORT-0001"))).not.toBe(uid(deidentifyDicom(film.bytes, KEY, "EXPORT-0001")));
  });

  it("refuses a film whose pixels carry burned-in annotation", () => {
    const { dataset } = readDicomFile(testInstance("dx", 9304).bytes);
    const marked = writeDicomFile({ ...dataset, BurnedInAnnotation: "YES" });
    expect(() => deidentifyDicom(marked, KEY, "EXPORT-0001")).toThrow(NotExportableError);
  });
});
