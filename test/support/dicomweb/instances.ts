// Test-only: DICOM instances as a PACS would send them (12-bit DX chest films, and what must be
// refused: a CT slice, an SR, a photograph), written with dcmjs, carrying fictitious patient data
// that the app must never store.
import { syntheticPixels } from "@/test/support/imaging/dicom-writer";
import { writeDicomFile } from "@/lib/pacs/dicom-file";
import { derivedUid } from "@/lib/pacs/uids";

export const TEST_PATIENT = { name: "TESTPATIENT^NEVERSTORED", id: "PID-NEVER-STORED-7731" };

export type TestInstanceKind = "dx" | "ct" | "sr" | "photo" | "sc";

const SOP_CLASS: Record<TestInstanceKind, string> = {
  dx: "1.2.840.10008.5.1.4.1.1.1.1",
  ct: "1.2.840.10008.5.1.4.1.1.2",
  sr: "1.2.840.10008.5.1.4.1.1.88.33",
  photo: "1.2.840.10008.5.1.4.1.1.77.1.4",
  // A chest film captured as a Secondary Capture by a film digitiser (modality OT).
  sc: "1.2.840.10008.5.1.4.1.1.7",
};
const MODALITY: Record<TestInstanceKind, string> = { dx: "DX", ct: "CT", sr: "SR", photo: "XC", sc: "OT" };

export interface TestInstance {
  bytes: Buffer;
  sopInstanceUid: string;
  sopClassUid: string;
  studyInstanceUid: string;
}

export interface TestInstanceOptions {
  /** Another patient than TEST_PATIENT (same name, this Patient ID). */
  patientId?: string;
  /** Other pixels under the same UIDs (a re-used SOP Instance UID). */
  pixelSeed?: number;
}

export function testInstance(
  kind: TestInstanceKind,
  seed: number,
  studyInstanceUid = derivedUid("test-study", String(seed)),
  opts: TestInstanceOptions = {},
): TestInstance {
  const sopInstanceUid = derivedUid("test-instance", kind, String(seed));
  const rows = 256;
  const columns = 240;
  const dataset: Record<string, unknown> = {
    SpecificCharacterSet: "ISO_IR 192",
    SOPClassUID: SOP_CLASS[kind],
    SOPInstanceUID: sopInstanceUid,
    StudyInstanceUID: studyInstanceUid,
    SeriesInstanceUID: derivedUid("test-series", kind, String(seed)),
    PatientName: [{ Alphabetic: TEST_PATIENT.name }],
    PatientID: opts.patientId ?? TEST_PATIENT.id,
    PatientBirthDate: "19600101",
    PatientSex: "F",
    StudyDate: "20261130",
    StudyTime: "101500",
    StudyID: "S1",
    AccessionNumber: `ACC${seed}`,
    ReferringPhysicianName: "",
    Modality: MODALITY[kind],
    SeriesNumber: 1,
    InstanceNumber: 1,
  };
  if (kind === "dx" || kind === "ct" || kind === "sc") {
    const maxval = kind === "ct" ? 2000 : 4095;
    Object.assign(dataset, {
      BodyPartExamined: kind === "ct" ? "ABDOMEN" : "CHEST",
      ViewPosition: kind === "dx" ? "PA" : undefined,
      SamplesPerPixel: 1,
      PhotometricInterpretation: "MONOCHROME2",
      Rows: rows,
      Columns: columns,
      BitsAllocated: 16,
      BitsStored: 12,
      HighBit: 11,
      PixelRepresentation: 0,
      PixelData: [new Uint16Array(syntheticPixels(rows, columns, maxval, { noise: 0.02, seed: opts.pixelSeed ?? seed })).buffer],
      _vrMap: { PixelData: "OW" },
    });
  }
  if (kind === "photo") {
    const rgb = new Uint8Array(rows * columns * 3).map((_, i) => (i * 37 + seed) & 0xff);
    Object.assign(dataset, {
      SamplesPerPixel: 3,
      PhotometricInterpretation: "RGB",
      PlanarConfiguration: 0,
      Rows: rows,
      Columns: columns,
      BitsAllocated: 8,
      BitsStored: 8,
      HighBit: 7,
      PixelRepresentation: 0,
      PixelData: [rgb.buffer],
      _vrMap: { PixelData: "OB" },
    });
  }
  for (const k of Object.keys(dataset)) if (dataset[k] === undefined) delete dataset[k];
  return { bytes: writeDicomFile(dataset), sopInstanceUid, sopClassUid: SOP_CLASS[kind], studyInstanceUid };
}
