import { describe, expect, it } from "vitest";
import { decodeImage } from "../index";
import { writeDicom, type DicomElement } from "@/test/support/imaging/dicom-writer";

const identity: DicomElement[] = [
  { tag: 0x00080018, vr: "UI", value: "1.2.826.0.1.3680043.2.1125.3" },
  { tag: 0x00080020, vr: "DA", value: "20231105" },
  { tag: 0x00080050, vr: "SH", value: "ACC-123" },
  { tag: 0x00080060, vr: "CS", value: "CR" },
  { tag: 0x00080070, vr: "LO", value: "ACME Imaging" },
  { tag: 0x00080080, vr: "LO", value: "St Elsewhere Hospital" },
  { tag: 0x00080090, vr: "PN", value: "HOUSE^GREGORY" },
  { tag: 0x00100010, vr: "PN", value: "SECRET^PATIENT" },
  { tag: 0x00100020, vr: "LO", value: "MRN-998877" },
  { tag: 0x00100030, vr: "DA", value: "19700101" },
  { tag: 0x00100040, vr: "CS", value: "M" },
  { tag: 0x00101010, vr: "AS", value: "053Y" },
  { tag: 0x00180015, vr: "CS", value: "chest" },
  { tag: 0x00185101, vr: "CS", value: "AP" },
  { tag: 0x0020000d, vr: "UI", value: "1.2.826.0.1.3680043.2.1125.1" },
  { tag: 0x0020000e, vr: "UI", value: "1.2.826.0.1.3680043.2.1125.2" },
];
const pixels = Uint16Array.from({ length: 64 * 64 }, (_, i) => i % 4096);
const SECRETS = /SECRET|PATIENT|MRN-998877|19700101|HOUSE|GREGORY|Elsewhere/;

describe("DICOM metadata (privacy decision in metadata.ts)", () => {
  it("keeps study context and identifiers, drops the patient's name, ID and birth date", async () => {
    const d = await decodeImage(writeDicom({ rows: 64, columns: 64, bitsStored: 12, pixels, extra: identity }));
    expect(d.metadata).toEqual({
      kind: "dicom",
      modality: "CR",
      viewPosition: "AP",
      bodyPart: "CHEST",
      patientSex: "M",
      patientAge: "053Y",
      studyDate: "2023-11-05",
      studyInstanceUid: "1.2.826.0.1.3680043.2.1125.1",
      seriesInstanceUid: "1.2.826.0.1.3680043.2.1125.2",
      sopInstanceUid: "1.2.826.0.1.3680043.2.1125.3",
      accessionNumber: "ACC-123",
      manufacturer: "ACME Imaging",
      transferSyntax: "1.2.840.10008.1.2.1",
      transferSyntaxName: "Explicit VR Little Endian",
      photometric: "MONOCHROME2",
      bitsAllocated: 16,
      bitsStored: 12,
      pixelRepresentation: 0,
      samplesPerPixel: 1,
      frames: 1,
      colour: false,
    });
    expect(JSON.stringify(d)).not.toMatch(SECRETS);
  });

  it("error messages never carry patient data", async () => {
    const bad = writeDicom({ rows: 64, columns: 64, photometric: "RGB", pixels, extra: identity });
    const e = await decodeImage(bad).then(
      () => new Error("decoded unexpectedly"),
      (x: unknown) => x as Error,
    );
    expect(e).toMatchObject({ code: "unsupported_photometric" });
    expect(`${e.message} ${JSON.stringify(e)}`).not.toMatch(SECRETS);
  });

  it("drops malformed values instead of passing them on", async () => {
    const odd: DicomElement[] = [
      { tag: 0x00080020, vr: "DA", value: "20231345" },
      { tag: 0x00100040, vr: "CS", value: "X" },
      { tag: 0x00101010, vr: "AS", value: "53 years" },
      { tag: 0x0020000d, vr: "UI", value: "not-a-uid" },
    ];
    const d = await decodeImage(writeDicom({ rows: 64, columns: 64, bitsStored: 12, pixels, extra: odd }));
    expect(d.metadata).not.toHaveProperty("studyDate");
    expect(d.metadata).not.toHaveProperty("patientSex");
    expect(d.metadata).not.toHaveProperty("patientAge");
    expect(d.metadata).not.toHaveProperty("studyInstanceUid");
  });
});
