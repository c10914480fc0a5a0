import "server-only";
import { eq } from "drizzle-orm";
import { asClientError } from "@/lib/api/route";
import { db } from "@/lib/db/client";
import { analyses, dicomInstances } from "@/lib/db/schema";
import { parseDicomFile } from "@/lib/imaging/dicom/parse";
import { errorSummary, logger } from "@/lib/log";
import { sha256Hex } from "@/lib/storage/content-store";
import { refusalOf, type InstanceHeader } from "./instance-check";
import type { RelatedPart } from "./multipart-related";
import { FailureReason, type FailedInstance, type StoredInstance } from "./store-response";

// STOW-RS instances to analyses, one at a time: each is read, checked, claimed by its SOP Instance
// UID (a re-sent instance is answered with the analysis it already became) and queued; whatever
// happens to one instance is its own answer and never undoes or stops the others.

export type AnalyseInstance = (bytes: Buffer) => Promise<{ id: string }>;

export interface ReceiveOutcome {
  stored: StoredInstance[];
  failed: FailedInstance[];
}

function headerOf(bytes: Buffer): InstanceHeader | null {
  try {
    const ds = parseDicomFile(bytes, { untilPixelData: true });
    const s = (tag: string) => (ds.string(tag) ?? "").replace(/\0/g, "").trim();
    return { sopClassUid: s("x00080016"), sopInstanceUid: s("x00080018"), modality: s("x00080060").toUpperCase(), bodyPart: s("x00180015").toUpperCase() };
  } catch {
    return null;
  }
}

interface Claim {
  analysisId: string | null;
  /** What the UID was first received with (for a claim made before contents were kept: its analysis' image). */
  contentSha256: string | null;
}

/** Claims the UID; null when this request may analyse it, else the existing claim. */
async function claim(h: InstanceHeader, contentSha256: string): Promise<Claim | null> {
  const inserted = await db
    .insert(dicomInstances)
    .values({ sopInstanceUid: h.sopInstanceUid, sopClassUid: h.sopClassUid, contentSha256 })
    .onConflictDoNothing()
    .returning({ uid: dicomInstances.sopInstanceUid });
  if (inserted.length > 0) return null;
  const [existing] = await db
    .select({ analysisId: dicomInstances.analysisId, contentSha256: dicomInstances.contentSha256, imageSha256: analyses.imageSha256 })
    .from(dicomInstances)
    .leftJoin(analyses, eq(analyses.id, dicomInstances.analysisId))
    .where(eq(dicomInstances.sopInstanceUid, h.sopInstanceUid));
  return existing ? { analysisId: existing.analysisId, contentSha256: existing.contentSha256 ?? existing.imageSha256 } : { analysisId: null, contentSha256: null };
}

/**
 * A UID already received with other content: a SOP Instance UID names one instance for good, so this is
 * either a sender's error or someone pre-empting the real instance, and neither is a re-send to ignore.
 */
function reusedUid(existing: Claim, contentSha256: string, h: InstanceHeader): FailedInstance | null {
  if (!existing.contentSha256 || existing.contentSha256 === contentSha256) return null;
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
  if (client?.status === 503) return { ...base, reason: FailureReason.outOfResources, message: client.message };
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
    const h = headerOf(part.body);
    if (!h) {
      outcome.failed.push({ sopClassUid: "", sopInstanceUid: "", reason: FailureReason.cannotUnderstand, message: `Part ${index + 1} is not a readable DICOM file.` });
      continue;
    }
    const refusal = refusalOf(h);
    if (refusal) {
      outcome.failed.push({ sopClassUid: h.sopClassUid, sopInstanceUid: h.sopInstanceUid, reason: FailureReason.sopClassNotSupported, message: refusal });
      continue;
    }
    const contentSha256 = sha256Hex(part.body);
    const existing = await claim(h, contentSha256);
    const conflict = existing && reusedUid(existing, contentSha256, h);
    if (conflict) {
      outcome.failed.push(conflict);
      continue;
    }
    if (existing) {
      outcome.stored.push({
        sopClassUid: h.sopClassUid,
        sopInstanceUid: h.sopInstanceUid,
        note: existing.analysisId ? `Already received: analysis ${existing.analysisId}.` : "Already received: its analysis is under way.",
      });
      continue;
    }
    try {
      const { id } = await analyse(part.body);
      await db.update(dicomInstances).set({ analysisId: id }).where(eq(dicomInstances.sopInstanceUid, h.sopInstanceUid));
      outcome.stored.push({ sopClassUid: h.sopClassUid, sopInstanceUid: h.sopInstanceUid, note: `Analysis ${id}.` });
    } catch (error) {
      // Unclaimed again, so that the sender may retry the instance once the cause is gone.
      await db.delete(dicomInstances).where(eq(dicomInstances.sopInstanceUid, h.sopInstanceUid)).catch(() => undefined);
      outcome.failed.push(failureOf(error, h, index));
    }
  }
  return outcome;
}
