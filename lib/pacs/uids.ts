import crypto from "node:crypto";

// DICOM UIDs for the objects this app writes, derived from what they stand for (PS3.5 B.2: "2.25." and
// the decimal value of a UUID). Derived rather than random so that writing the same result twice
// gives the same instance: a PACS that receives it again replaces it instead of storing a duplicate,
// and a download matches what was pushed. The inputs are the app's own ids, never patient data.

/** A name-based UUID (version 8, RFC 9562) from SHA-256 of the parts, as a 2.25 UID. */
export function derivedUid(...parts: string[]): string {
  const bytes = crypto.createHash("sha256").update(`cxr-assist\u0000${parts.join("\u0000")}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return `2.25.${BigInt(`0x${bytes.toString("hex")}`).toString(10)}`;
}

export const resultUids = {
  /** One series per report version: the unverified SR (null) and each verified version apart. */
  srSeries: (analysisId: string, reviewVersion: number | null) =>
    reviewVersion === null ? derivedUid("sr-series", analysisId) : derivedUid("sr-series", analysisId, `verified-${reviewVersion}`),
  scSeries: (analysisId: string) => derivedUid("sc-series", analysisId),
  /** The unverified SR (reviewVersion null) or the verified one of a signed-off review version. */
  sr: (analysisId: string, reviewVersion: number | null) => derivedUid("sr", analysisId, reviewVersion === null ? "unverified" : `verified-${reviewVersion}`),
  sc: (analysisId: string, label: string) => derivedUid("sc", analysisId, label),
  tracking: (analysisId: string, label: string) => derivedUid("finding", analysisId, label),
  /** Changes whenever the model does: name, version and whether it was trained. */
  device: (model: { name: string; version: string; trained: boolean }) => derivedUid("device", model.name, model.version, String(model.trained)),
};
