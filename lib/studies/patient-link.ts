// The patient link: which studies belong to one patient, without storing who the patient is.
//
// A study stores HMAC-SHA256(key, Issuer of Patient ID (0010,0021) + Patient ID (0010,0020)) and nothing
// else about the patient. Equal links mean the same patient ID from the same issuer. The key is what
// makes this safe: patient IDs are short and guessable, so a plain hash could be reversed by trying
// them all, while without the key a link is just random-looking text. The ID itself is read here, used
// for the hash and dropped: it never reaches an object that is stored, logged or returned.
// Deleting the key (PATIENT_LINK_SECRET, or DATA_DIR/patient-link-secret) unlinks every stored study:
// new uploads get links under a new key that match none of the old ones.
import "server-only";
import crypto from "node:crypto";
import { persistedSecret } from "@/lib/auth/secret";
import { env } from "@/lib/env";
import { parseDicomFile } from "@/lib/imaging/dicom/parse";

const PATIENT_ID = "x00100020";
const ISSUER = "x00100021";

function patientLinkKey(): string {
  return persistedSecret("patient-link-secret", env.PATIENT_LINK_SECRET);
}

function clean(v: string | undefined): string {
  return (v ?? "").replace(/[\u0000-\u001f\u007f]/g, "").trim();
}

/** The link for an issuer and patient ID; null when there is no patient ID to link by. */
export function patientLinkOf(issuer: string | undefined, patientId: string | undefined): string | null {
  const id = clean(patientId);
  if (!id) return null;
  return crypto.createHmac("sha256", patientLinkKey()).update(`patient-link:v1\u0000${clean(issuer)}\u0000${id}`).digest("base64url");
}

/**
 * The link of a DICOM file's patient, or null (not DICOM, no Patient ID, unreadable header). Called on
 * files that already decoded, so a parse failure here only means "no link", and is never logged: the
 * error text of a parser may quote the bytes it choked on.
 */
export function patientLinkOfDicom(bytes: Buffer): string | null {
  try {
    const ds = parseDicomFile(bytes, { untilPixelData: true });
    return patientLinkOf(ds.string(ISSUER), ds.string(PATIENT_ID));
  } catch {
    return null;
  }
}
