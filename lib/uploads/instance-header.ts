import "server-only";
import { parseDicomFile } from "@/lib/imaging/dicom/parse";

/** What a DICOM instance says it is, read from its header alone (no pixel decoding). */
export interface InstanceHeader {
  sopClassUid: string;
  sopInstanceUid: string;
  modality: string;
  bodyPart: string;
}

/** The instance's header, or null when the bytes are not a readable DICOM file. */
export function instanceHeaderOf(bytes: Buffer): InstanceHeader | null {
  try {
    const ds = parseDicomFile(bytes, { untilPixelData: true });
    const s = (tag: string) => (ds.string(tag) ?? "").replace(/\0/g, "").trim();
    return { sopClassUid: s("x00080016"), sopInstanceUid: s("x00080018"), modality: s("x00080060").toUpperCase(), bodyPart: s("x00180015").toUpperCase() };
  } catch {
    return null;
  }
}

/** A SOP Instance UID as DICOM allows it (PS3.5 9.1): digits and dots, at most 64 characters. */
export const isValidUid = (uid: string) => /^[0-9.]{1,64}$/.test(uid);
