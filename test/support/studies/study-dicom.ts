// Test-only: a chest film as a DICOM of one patient's visit (patient name and ID set, as a modality
// writes them), so tests can check grouping, patient links, priors and calibrated measurements, and
// that none of the identifiers ends up stored, logged or answered.
import { syntheticPixels, writeDicom, type DicomElement } from "../imaging/dicom-writer";

export interface VisitFilm {
  patientName: string;
  patientId: string;
  issuer?: string;
  studyInstanceUid: string;
  /** YYYYMMDD */
  studyDate: string;
  viewPosition: "PA" | "AP" | "LL" | "LATERAL";
  /** Imager Pixel Spacing in mm; omitted: none written. */
  imagerPixelSpacing?: number;
  seed?: number;
  rows?: number;
  columns?: number;
}

let serial = 0;

export function visitFilm(f: VisitFilm): Buffer {
  const rows = f.rows ?? 320;
  const columns = f.columns ?? 288;
  serial += 1;
  const extra: DicomElement[] = [
    { tag: 0x00080018, vr: "UI", value: `${f.studyInstanceUid}.9.${serial}` },
    { tag: 0x00080020, vr: "DA", value: f.studyDate },
    { tag: 0x00100010, vr: "PN", value: f.patientName },
    { tag: 0x00100020, vr: "LO", value: f.patientId },
    ...(f.issuer ? [{ tag: 0x00100021, vr: "LO", value: f.issuer }] : []),
    { tag: 0x00180015, vr: "CS", value: "CHEST" },
    ...(f.imagerPixelSpacing ? [{ tag: 0x00181164, vr: "DS", value: `${f.imagerPixelSpacing}\\${f.imagerPixelSpacing}` }] : []),
    { tag: 0x00185101, vr: "CS", value: f.viewPosition },
    { tag: 0x0020000d, vr: "UI", value: f.studyInstanceUid },
    { tag: 0x0020000e, vr: "UI", value: `${f.studyInstanceUid}.1` },
  ];
  const pixels = Uint16Array.from(syntheticPixels(rows, columns, 4095, { noise: 0.02, seed: f.seed ?? serial }));
  return writeDicom({ rows, columns, bitsAllocated: 16, bitsStored: 12, pixels, extra });
}

/** A fresh UID under a test root, unique per call. */
export function testStudyUid(): string {
  return `1.2.826.0.1.3680043.10.543.${Date.now()}.${process.pid}.${++serial}`;
}
