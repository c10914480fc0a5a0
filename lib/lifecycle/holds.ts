// Legal holds: a study or a patient (by pseudonymous link) that no retention rule and no erasure may
// touch while the hold stands. `notHeld` is the one condition every lifecycle query uses.
import "server-only";
import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { recordAudit } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { analyses, legalHolds, studies } from "@/lib/db/schema";

/**
 * True for analyses that no hold covers (their study held, or any study of their patient held), given
 * the expression of the analysis' study id (a column, or `a.study_id` inside a subquery).
 */
export function notHeld(studyId: SQL = sql`${analyses.studyId}`): SQL {
  return sql`not exists (
    select 1 from legal_holds h join studies s on s.id = ${studyId}
    where h.study_id = s.id or (h.patient_link is not null and h.patient_link = s.patient_link)
  )`;
}

export interface HoldView {
  id: string;
  scope: "study" | "patient";
  studyId: string | null;
  reason: string;
  createdAt: Date;
}

export async function listHolds(): Promise<HoldView[]> {
  const rows = await db.select().from(legalHolds).orderBy(desc(legalHolds.createdAt));
  return rows.map((r) => ({ id: r.id, scope: r.studyId ? "study" : "patient", studyId: r.studyId, reason: r.reason, createdAt: r.createdAt }));
}

export async function placeHold(
  actor: Principal,
  target: { studyId: string } | { patientLink: string },
  reason: string,
  headers?: Headers,
): Promise<HoldView> {
  if ("studyId" in target) {
    const [study] = await db.select({ id: studies.id }).from(studies).where(eq(studies.id, target.studyId)).limit(1);
    if (!study) throw new AppError("not_found", "No such study.");
  }
  const [row] = await db
    .insert(legalHolds)
    .values({
      studyId: "studyId" in target ? target.studyId : null,
      patientLink: "patientLink" in target ? target.patientLink : null,
      reason,
      createdBy: actor.userId,
    })
    .returning();
  await recordAudit({ actor, action: "legal_hold.place", targetType: "legal_hold", targetId: row.id, details: { scope: row.studyId ? "study" : "patient" }, headers });
  return { id: row.id, scope: row.studyId ? "study" : "patient", studyId: row.studyId, reason: row.reason, createdAt: row.createdAt };
}

export async function releaseHold(actor: Principal, id: string, headers?: Headers): Promise<void> {
  const deleted = await db.delete(legalHolds).where(eq(legalHolds.id, id)).returning({ id: legalHolds.id });
  if (deleted.length === 0) throw new AppError("not_found", "No such legal hold.");
  await recordAudit({ actor, action: "legal_hold.release", targetType: "legal_hold", targetId: id, headers });
}

/** Whether any of these analyses is under a hold (erasure refuses then). */
export async function anyHeld(analysisIds: string[]): Promise<boolean> {
  if (analysisIds.length === 0) return false;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(analyses)
    .where(and(inArray(analyses.id, analysisIds), sql`not (${notHeld()})`));
  return (row?.n ?? 0) > 0;
}
