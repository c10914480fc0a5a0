// Erasure on request: one patient (found by the pseudonymous link of the Patient ID and issuer the admin
// types, which are used for the lookup and dropped) or one analysis. Everything of theirs goes: files,
// rows, shares (their links answer 410), validation-set entries. The audit keeps a tombstone that says
// an erasure happened, by whom and how much, with no identifier of what was erased.
import "server-only";
import { eq } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { recordAudit } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { analyses, studies } from "@/lib/db/schema";
import { patientLinkOf } from "@/lib/studies/patient-link";
import { anyHeld } from "./holds";
import { removeAnalyses, type Removal } from "./remove";

export type ErasureTarget = { kind: "patient"; patientId: string; issuer?: string } | { kind: "analysis"; analysisId: string };

async function analysesOfTarget(target: ErasureTarget): Promise<string[]> {
  if (target.kind === "analysis") {
    const rows = await db.select({ id: analyses.id }).from(analyses).where(eq(analyses.id, target.analysisId));
    return rows.map((r) => r.id);
  }
  const link = patientLinkOf(target.issuer, target.patientId);
  if (!link) return [];
  const rows = await db.select({ id: analyses.id }).from(analyses).innerJoin(studies, eq(studies.id, analyses.studyId)).where(eq(studies.patientLink, link));
  return rows.map((r) => r.id);
}

export async function erase(actor: Principal, target: ErasureTarget, headers?: Headers): Promise<Removal> {
  const ids = await analysesOfTarget(target);
  if (ids.length === 0) {
    throw new AppError("not_found", target.kind === "patient" ? "No stored study has that Patient ID (and issuer)." : "No such analysis.");
  }
  if (await anyHeld(ids)) {
    throw new AppError("conflict", "A legal hold covers this data: release the hold before erasing.", { subcode: "legal_hold" });
  }
  const removal = await removeAnalyses(ids);
  await recordAudit({
    actor,
    action: "data.erase",
    targetType: target.kind,
    details: { analyses: removal.analyses, files: removal.files, studies: removal.studies, shares: removal.shares, sentToPacs: removal.sentToPacs.length },
    headers,
  });
  return removal;
}
