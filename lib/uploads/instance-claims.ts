import "server-only";
import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { db } from "@/lib/db/client";
import { analyses, dicomInstances } from "@/lib/db/schema";

// One image per SOP Instance UID, whichever way it arrives (STOW-RS, the browser upload, POST
// /api/v1/analyses): the claim on the UID is made in the same transaction as the analysis it becomes,
// so a claim without its analysis cannot exist (an outage or a refusal rolls both back) and "already
// received" is only ever answered with the analysis's id. The same instance again (same content) is a
// re-send, answered with that analysis; other content under the UID is refused. Concurrent sends of
// one instance meet on the claim's primary key: the one that commits first owns it; the others roll
// back their analysis and are answered with the winner's.

const ALREADY_RECEIVED = "instance_already_received";

type ClaimTransaction = Parameters<Parameters<typeof db.transaction>[0]>[0];

export interface InstanceIdentity {
  sopInstanceUid: string;
  sopClassUid: string;
}

export interface ReceivedInstance {
  analysisId: string;
  /** What the UID was received with (for a claim made before contents were kept: its analysis' image). */
  contentSha256: string;
}

/** The analyses instances already became, by SOP Instance UID (absent: never received, or being received now). */
export async function receivedInstances(sopInstanceUids: string[]): Promise<Map<string, ReceivedInstance>> {
  const out = new Map<string, ReceivedInstance>();
  if (sopInstanceUids.length === 0) return out;
  const rows = await db
    .select({ uid: dicomInstances.sopInstanceUid, analysisId: dicomInstances.analysisId, contentSha256: dicomInstances.contentSha256, imageSha256: analyses.imageSha256 })
    .from(dicomInstances)
    .innerJoin(analyses, eq(analyses.id, dicomInstances.analysisId))
    .where(and(inArray(dicomInstances.sopInstanceUid, sopInstanceUids), isNotNull(dicomInstances.analysisId)));
  for (const r of rows) if (r.analysisId) out.set(r.uid, { analysisId: r.analysisId, contentSha256: r.contentSha256 ?? r.imageSha256 });
  return out;
}

/** The analysis an instance already became, or null when it was never received (or is being received now). */
export async function receivedInstance(sopInstanceUid: string): Promise<ReceivedInstance | null> {
  return (await receivedInstances([sopInstanceUid])).get(sopInstanceUid) ?? null;
}

/** The rule for an instance whose UID was received before: the same content is a re-send; other content is not. */
export function isResend(existing: Pick<ReceivedInstance, "contentSha256">, contentSha256: string): boolean {
  return existing.contentSha256 === contentSha256;
}

/**
 * Claims instances for the analyses being created, inside their transaction. A claim left without an
 * analysis by an earlier version is taken over; a claim with one ends the transaction (nothing of this
 * send is kept).
 */
export async function claimInstances(tx: ClaimTransaction, claims: (InstanceIdentity & { contentSha256: string; analysisId: string })[]): Promise<void> {
  if (claims.length === 0) return;
  const claimed = await tx
    .insert(dicomInstances)
    .values(claims.map((c) => ({ sopInstanceUid: c.sopInstanceUid, sopClassUid: c.sopClassUid, analysisId: c.analysisId, contentSha256: c.contentSha256 })))
    .onConflictDoUpdate({
      target: dicomInstances.sopInstanceUid,
      set: { analysisId: sql`excluded.analysis_id`, sopClassUid: sql`excluded.sop_class_uid`, contentSha256: sql`excluded.content_sha256`, receivedAt: sql`now()` },
      setWhere: isNull(dicomInstances.analysisId),
    })
    .returning({ uid: dicomInstances.sopInstanceUid });
  if (claimed.length < claims.length) {
    throw new AppError("conflict", "This instance was received already.", { subcode: ALREADY_RECEIVED });
  }
}

/** STOW-RS's claim on one instance, as acceptUpload's `inTransaction`. */
export function claimWithAnalysis(h: InstanceIdentity, contentSha256: string) {
  return (tx: ClaimTransaction, analysisIds: string[]): Promise<void> => claimInstances(tx, [{ ...h, contentSha256, analysisId: analysisIds[0] }]);
}

/** The send lost the race for its instance to a concurrent one (whose analysis is then the answer). */
export function isAlreadyReceived(error: unknown): boolean {
  return error instanceof AppError && error.extra.subcode === ALREADY_RECEIVED;
}
