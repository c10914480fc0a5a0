import "server-only";
import { eq } from "drizzle-orm";
import { latestSignOff } from "@/lib/analyses/reads";
import { db } from "@/lib/db/client";
import { findings } from "@/lib/db/schema";
import { spacingOf } from "@/lib/studies/measurements";
import { buildReportDraft } from "./draft";

/** The report text of an analysis' current signed-off review, or null when nothing is signed off yet. */
export async function loadReportDraft(analysisId: string): Promise<string | null> {
  const row = await latestSignOff(analysisId);
  if (!row) return null;
  const rows = await db
    .select({ label: findings.label, calibrated: findings.calibrated, positive: findings.positive })
    .from(findings)
    .where(eq(findings.analysisId, analysisId))
    .orderBy(findings.position);
  const a = row.analysis;
  return buildReportDraft({
    study: {
      accessionNumber: a.accessionNumber,
      studyDate: a.studyDate,
      viewPosition: a.viewPosition,
      modality: a.modality,
      triageLevel: a.triageLevel,
      pixelSpacing: spacingOf(a.metadata),
    },
    model: { name: a.modelName, version: a.modelVersion, trained: a.modelTrained },
    findings: rows,
    review: {
      version: row.review.version,
      decisions: row.review.decisions,
      addedFindings: row.review.addedFindings,
      impression: row.review.impression,
      measurements: row.review.measurements,
      signedOffAt: row.review.signedOffAt,
      reviewerName: row.reviewer.name || row.reviewer.email,
      amendmentReason: row.review.amendmentReason,
    },
  });
}
