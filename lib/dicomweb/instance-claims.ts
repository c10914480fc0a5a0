import "server-only";
import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { AcceptTransaction } from "@/lib/uploads/accept-upload";
import { AppError } from "@/lib/core/errors";
import { db } from "@/lib/db/client";
import { analyses, dicomInstances } from "@/lib/db/schema";
import type { InstanceHeader } from "./instance-check";

// The claim on a received instance's SOP Instance UID, made in the same transaction as the analysis it
// becomes: a claim without its analysis cannot exist (an outage or a refusal rolls both back), so
// "Already received" is only ever answered with the analysis's id. Concurrent sends of one instance
// meet on the claim's primary key: the one that commits first owns it; the others roll back their
// analysis and are answered with the winner's.

const ALREADY_RECEIVED = "instance_already_received";

export interface ReceivedInstance {
  analysisId: string;
  /** What the UID was received with (for a claim made before contents were kept: its analysis' image). */
  contentSha256: string;
}

/** The analysis an instance already became, or null when it was never received (or is being received now). */
export async function receivedInstance(sopInstanceUid: string): Promise<ReceivedInstance | null> {
  const [row] = await db
    .select({ analysisId: dicomInstances.analysisId, contentSha256: dicomInstances.contentSha256, imageSha256: analyses.imageSha256 })
    .from(dicomInstances)
    .innerJoin(analyses, eq(analyses.id, dicomInstances.analysisId))
    .where(and(eq(dicomInstances.sopInstanceUid, sopInstanceUid), isNotNull(dicomInstances.analysisId)));
  return row?.analysisId ? { analysisId: row.analysisId, contentSha256: row.contentSha256 ?? row.imageSha256 } : null;
}

/**
 * Claims the instance for the analysis being created, inside its transaction (acceptUpload's
 * `inTransaction`). A claim left without an analysis by an earlier version is taken over; a claim with
 * one ends the transaction (nothing of this send is kept).
 */
export function claimWithAnalysis(h: InstanceHeader, contentSha256: string) {
  return async (tx: AcceptTransaction, analysisIds: string[]): Promise<void> => {
    const claimed = await tx
      .insert(dicomInstances)
      .values({ sopInstanceUid: h.sopInstanceUid, sopClassUid: h.sopClassUid, analysisId: analysisIds[0], contentSha256 })
      .onConflictDoUpdate({
        target: dicomInstances.sopInstanceUid,
        set: { analysisId: analysisIds[0], sopClassUid: h.sopClassUid, contentSha256, receivedAt: sql`now()` },
        setWhere: isNull(dicomInstances.analysisId),
      })
      .returning({ uid: dicomInstances.sopInstanceUid });
    if (claimed.length === 0) {
      throw new AppError("conflict", "This instance was received already.", { subcode: ALREADY_RECEIVED });
    }
  };
}

/** The send lost the race for its instance to a concurrent one (whose analysis is then the answer). */
export function isAlreadyReceived(error: unknown): boolean {
  return error instanceof AppError && error.extra.subcode === ALREADY_RECEIVED;
}
