import "server-only";
import { and, desc, eq, isNotNull, sql, type SQL } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { analyses, findings, reviews, users, type Analysis, type Review } from "@/lib/db/schema";

// Reads for callers that have already decided the reader may see the analysis (reports, share links,
// settings and filter choices); the viewer-scoped queries are in ./queries.

export interface SignedOffReview {
  analysis: Analysis;
  /** The latest signed-off version: what the radiologist stands behind (amendments supersede). */
  review: Review & { signedOffAt: Date };
  reviewer: { id: string; name: string; email: string };
}

/** The current signed-off review of an analysis with its reviewer, or null when nothing is signed off. */
export async function latestSignOff(analysisId: string): Promise<SignedOffReview | null> {
  const [row] = await db
    .select({ analysis: analyses, review: reviews, reviewer: { id: users.id, name: users.name, email: users.email } })
    .from(reviews)
    .innerJoin(analyses, eq(analyses.id, reviews.analysisId))
    .innerJoin(users, eq(users.id, reviews.reviewerId))
    .where(and(eq(reviews.analysisId, analysisId), isNotNull(reviews.signedOffAt)))
    .orderBy(desc(reviews.version))
    .limit(1);
  const signedOffAt = row?.review.signedOffAt;
  if (!row || !signedOffAt) return null;
  return { analysis: row.analysis, review: { ...row.review, signedOffAt }, reviewer: row.reviewer };
}

/**
 * The current (highest) version of every review whose analysis matches `where`, signed off or not:
 * an amendment in progress hides the version it amends, so callers keep only `signedOffAt !== null`.
 */
export async function currentReviews(where?: SQL) {
  return db
    .selectDistinctOn([reviews.analysisId], {
      analysisId: reviews.analysisId,
      decisions: reviews.decisions,
      addedFindings: reviews.addedFindings,
      signedOffAt: reviews.signedOffAt,
    })
    .from(reviews)
    .innerJoin(analyses, eq(analyses.id, reviews.analysisId))
    .where(where)
    .orderBy(reviews.analysisId, sql`${reviews.version} desc`);
}

/** Every label stored findings carry, in model output order (the lowest position a label has had). */
export async function storedLabelOrder(): Promise<string[]> {
  const rows = await db
    .select({ label: findings.label, position: sql<number>`min(${findings.position})::int` })
    .from(findings)
    .groupBy(findings.label);
  return rows.sort((a, b) => a.position - b.position).map((r) => r.label);
}
