// The study key of an upload, read from its DICOM header alone (no pixel decoding), so that an upload
// is filed under its study when it is accepted, before any worker has decoded it.
import "server-only";
import { probeDicom } from "@/lib/imaging/dicom/decode-dicom";
import { readDicomMetadata } from "@/lib/imaging/dicom/metadata";
import { parseDicomFile } from "@/lib/imaging/dicom/parse";
import type { ImageFormat } from "@/lib/imaging/types";
import type { StudyKey } from "./assign";
import { patientLinkOfDicom } from "./patient-link";

const NONE: StudyKey = { studyInstanceUid: null, studyDate: null, patientLink: null };

/** A picture (or a header without the UIDs) is a study of its own. Never throws: a bad header only means no key. */
export function studyKeyOfUpload(bytes: Buffer, format: ImageFormat): StudyKey {
  if (format !== "dicom") return NONE;
  try {
    const meta = readDicomMetadata(parseDicomFile(bytes, { untilPixelData: true }), probeDicom(bytes));
    return { studyInstanceUid: meta.studyInstanceUid ?? null, studyDate: meta.studyDate ?? null, patientLink: patientLinkOfDicom(bytes) };
  } catch {
    return NONE;
  }
}
