import "server-only";
import { and, desc, eq, isNotNull } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { analyses, findings, reviews, users } from "@/lib/db/schema";
import { buildReportDraft } from "./draft";

/** The report text of an analysis' current signed-off review, or null when nothing is signed off yet. */
export async function loadReportDraft(analysisId: string): Promise<string | null> {
  const [row] = await db
    .select({ review: reviews, reviewerName: users.name, reviewerEmail: users.email, analysis: analyses })
    .from(reviews)
    .innerJoin(users, eq(users.id, reviews.reviewerId))
    .innerJoin(analyses, eq(analyses.id, reviews.analysisId))
    .where(and(eq(reviews.analysisId, analysisId), isNotNull(reviews.signedOffAt)))
    .orderBy(desc(reviews.version))
    .limit(1);
  if (!row?.review.signedOffAt) return null;
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
    },
    model: { name: a.modelName, version: a.modelVersion, trained: a.modelTrained },
    findings: rows,
    review: {
      version: row.review.version,
      decisions: row.review.decisions,
      addedFindings: row.review.addedFindings,
      impression: row.review.impression,
      signedOffAt: row.review.signedOffAt,
      reviewerName: row.reviewerName || row.reviewerEmail,
      amendmentReason: row.review.amendmentReason,
    },
  });
}
