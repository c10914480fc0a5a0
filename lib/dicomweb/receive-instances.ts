import "server-only";
import type { AcceptInput } from "@/lib/uploads/accept-upload";
import { asClientError } from "@/lib/api/route";
import { instanceHeaderOf, type InstanceHeader } from "@/lib/uploads/instance-header";
import { errorSummary, logger } from "@/lib/log";
import { sha256Hex } from "@/lib/storage/content-store";
import { refusalOf } from "./instance-check";
import { claimWithAnalysis, isAlreadyReceived, isResend, receivedInstance, type ReceivedInstance } from "@/lib/uploads/instance-claims";
import type { RelatedPart } from "./multipart-related";
import { FailureReason, type FailedInstance, type StoredInstance } from "./store-response";

// STOW-RS instances to analyses, one at a time: each is read, checked, and becomes a queued analysis
// together with its claim on its SOP Instance UID (lib/uploads/instance-claims.ts: a re-sent instance is answered
// with the analysis it already became); whatever happens to one instance is its own answer and never
// undoes or stops the others.

/** Accepts one instance as an analysis, running `inTransaction` (the instance's claim) in its transaction. */
export type AnalyseInstance = (bytes: Buffer, inTransaction: NonNullable<AcceptInput["inTransaction"]>) => Promise<{ id: string }>;

export interface ReceiveOutcome {
  stored: StoredInstance[];
  failed: FailedInstance[];
}

/**
 * A UID already received with other content: a SOP Instance UID names one instance for good, so this is
 * either a sender's error or someone pre-empting the real instance, and neither is a re-send to ignore.
 */
function reusedUid(existing: ReceivedInstance, contentSha256: string, h: InstanceHeader): FailedInstance | null {
  if (isResend(existing, contentSha256)) return null;
  return {
    sopClassUid: h.sopClassUid,
    sopInstanceUid: h.sopInstanceUid,
    reason: FailureReason.duplicateSopInstance,
    message: "An instance with this SOP Instance UID was already received with different content. It was not stored; give a new instance a UID of its own.",
  };
}

function failureOf(error: unknown, h: InstanceHeader, index: number): FailedInstance {
  const base = { sopClassUid: h.sopClassUid, sopInstanceUid: h.sopInstanceUid };
  const client = asClientError(error);
  if (client?.status === 503) {
    return { ...base, reason: FailureReason.outOfResources, message: client.message, retryAfterSeconds: client.extra.retryAfterSeconds ?? 10 };
  }
  if (client) return { ...base, reason: FailureReason.cannotUnderstand, message: client.message };
  logger.error({ err: errorSummary(error), part: index }, "dicomweb: analysing an instance failed");
  return { ...base, reason: FailureReason.processingFailure, message: "This instance could not be analysed because of an error on our side." };
}

export async function receiveInstances(parts: RelatedPart[], analyse: AnalyseInstance): Promise<ReceiveOutcome> {
  const outcome: ReceiveOutcome = { stored: [], failed: [] };
  for (const [index, part] of parts.entries()) {
    const type = part.contentType.split(";")[0].trim().toLowerCase();
    if (type !== "application/dicom") {
      outcome.failed.push({ sopClassUid: "", sopInstanceUid: "", reason: FailureReason.cannotUnderstand, message: `Part ${index + 1} is ${type || "untyped"}, not application/dicom.` });
      continue;
    }
    const h = instanceHeaderOf(part.body);
    if (!h) {
      outcome.failed.push({ sopClassUid: "", sopInstanceUid: "", reason: FailureReason.cannotUnderstand, message: `Part ${index + 1} is not a readable DICOM file.` });
      continue;
    }
    const refusal = refusalOf(h);
    if (refusal) {
      outcome.failed.push({ sopClassUid: h.sopClassUid, sopInstanceUid: h.sopInstanceUid, reason: FailureReason.sopClassNotSupported, message: refusal });
      continue;
    }
    try {
      const result = await analyseOnce(h, part.body, analyse);
      if (typeof result === "string") outcome.stored.push({ sopClassUid: h.sopClassUid, sopInstanceUid: h.sopInstanceUid, note: result });
      else outcome.failed.push(result);
    } catch (error) {
      outcome.failed.push(failureOf(error, h, index));
    }
  }
  return outcome;
}

/** The same instance again is answered with its analysis; other content under its UID is refused. */
function answerFor(existing: ReceivedInstance, contentSha256: string, h: InstanceHeader): string | FailedInstance {
  return reusedUid(existing, contentSha256, h) ?? `Already received: analysis ${existing.analysisId}.`;
}

/**
 * The instance's analysis: the one it already became, or a new one created with its claim. Returns the
 * note for the store response, or the failure of a UID re-used with other content; throws what refused
 * it (nothing of it is then kept, so a resend after an outage is analysed).
 */
async function analyseOnce(h: InstanceHeader, bytes: Buffer, analyse: AnalyseInstance): Promise<string | FailedInstance> {
  const contentSha256 = sha256Hex(bytes);
  const existing = await receivedInstance(h.sopInstanceUid);
  if (existing) return answerFor(existing, contentSha256, h);
  try {
    const { id } = await analyse(bytes, claimWithAnalysis(h, contentSha256));
    return `Analysis ${id}.`;
  } catch (error) {
    if (!isAlreadyReceived(error)) throw error;
    // A concurrent send of the same instance committed first: its analysis is this send's answer too.
    const winner = await receivedInstance(h.sopInstanceUid);
    if (winner) return answerFor(winner, contentSha256, h);
    throw error;
  }
}
