// The PS3.18 Store Instances Response (10.5.3) in the DICOM JSON model (PS3.18 F.2), and its HTTP
// status: 200 when every instance was stored, 202 when some were, 409 when none were, except that when
// none were because of an outage on our side (every failure 0xA700), 503: senders retry a 503, and
// Retry-After says when (it is also sent with any 0xA700 failure).

/** Failure Reason (0008,1197) values, PS3.18 Table I.2-1 and PS3.4 C.4.2.1.4. */
export const FailureReason = {
  processingFailure: 0x0110,
  /** PS3.7 C.4 general status: the SOP Instance UID is already held, with other content. */
  duplicateSopInstance: 0x0111,
  sopClassNotSupported: 0x0122,
  outOfResources: 0xa700,
  dataSetDoesNotMatchSopClass: 0xa900,
  cannotUnderstand: 0xc000,
} as const;

export interface StoredInstance {
  sopClassUid: string;
  sopInstanceUid: string;
  /** Human-readable outcome, e.g. which analysis the instance became. */
  note: string;
}

export interface FailedInstance {
  /** Empty when the part could not be read far enough to know them. */
  sopClassUid: string;
  sopInstanceUid: string;
  reason: number;
  /** A sentence a person understands. */
  message: string;
  /** An outage on our side (0xA700): when to send the instance again. */
  retryAfterSeconds?: number;
}

type JsonAttribute = { vr: string; Value?: unknown[] };

const ui = (v: string): JsonAttribute => (v ? { vr: "UI", Value: [v] } : { vr: "UI" });
const ut = (v: string): JsonAttribute => ({ vr: "UT", Value: [v] });

// The reason in words goes in Text Value (0040,A160) beside the coded one: PS3.18 has a code per
// instance only, and "SOP class not supported" does not tell a sender that a CT is not a radiograph.
export function storeResponse(
  stored: StoredInstance[],
  failed: FailedInstance[],
): { status: number; body: Record<string, JsonAttribute>; retryAfterSeconds?: number } {
  const body: Record<string, JsonAttribute> = {};
  if (stored.length > 0) {
    body["00081199"] = {
      vr: "SQ",
      Value: stored.map((s) => ({ "00081150": ui(s.sopClassUid), "00081155": ui(s.sopInstanceUid), "0040A160": ut(s.note) })),
    };
  }
  if (failed.length > 0) {
    body["00081198"] = {
      vr: "SQ",
      Value: failed.map((f) => ({
        "00081150": ui(f.sopClassUid),
        "00081155": ui(f.sopInstanceUid),
        "00081197": { vr: "US", Value: [f.reason] },
        "0040A160": ut(f.message),
      })),
    };
  }
  const outage = failed.filter((f) => f.reason === FailureReason.outOfResources);
  const status = failed.length === 0 ? 200 : stored.length > 0 ? 202 : outage.length === failed.length ? 503 : 409;
  const retryAfterSeconds = outage.length > 0 ? Math.max(1, ...outage.map((f) => f.retryAfterSeconds ?? 10)) : undefined;
  return { status, body, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) };
}
