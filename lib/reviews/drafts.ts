// Each reader's own review draft, saved as they type: a crash, a reload or a click elsewhere loses
// nothing, and another reader never sees it (only "Save draft" shares a draft as the review's version).
import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { analyses, reviewDrafts, reviews } from "@/lib/db/schema";
import { ReviewDraftInput, type OwnDraft } from "./input";

type Tx = Parameters<Parameters<typeof db.transaction>[0]>[0];

/** The reader's own draft of this analysis' review, or null (none, or one no longer readable). */
export async function getOwnDraft(analysisId: string, userId: string): Promise<OwnDraft | null> {
  const [row] = await db
    .select({ content: reviewDrafts.content, updatedAt: reviewDrafts.updatedAt })
    .from(reviewDrafts)
    .where(and(eq(reviewDrafts.analysisId, analysisId), eq(reviewDrafts.userId, userId)))
    .limit(1);
  if (!row) return null;
  // Stored content is checked as any input is: a draft of an older shape is dropped, not trusted.
  const parsed = ReviewDraftInput.safeParse(row.content);
  return parsed.success ? { content: parsed.data, savedAt: row.updatedAt.toISOString() } : null;
}

/**
 * Saves the reader's draft. It holds a share lock on the analysis row, so a sign-off (which takes the
 * row for update and removes every draft) is never followed by a draft of a locked review.
 */
export async function saveOwnDraft({ actor, analysisId, input }: { actor: Principal; analysisId: string; input: ReviewDraftInput }): Promise<{ savedAt: string }> {
  return db.transaction(async (tx) => {
    const [analysis] = await tx.select({ status: analyses.status }).from(analyses).where(eq(analyses.id, analysisId)).for("share").limit(1);
    if (!analysis) throw new AppError("not_found", "No such analysis.");
    if (analysis.status !== "completed") {
      throw new AppError("conflict", "Only a completed analysis can be reviewed.", { subcode: "analysis_not_completed" });
    }
    const [latest] = await tx
      .select({ signedOffAt: reviews.signedOffAt })
      .from(reviews)
      .where(eq(reviews.analysisId, analysisId))
      .orderBy(desc(reviews.version))
      .limit(1);
    if (latest?.signedOffAt) throw new AppError("conflict", "This review is signed off. Amend it to change it.", { subcode: "review_locked" });
    const [row] = await tx
      .insert(reviewDrafts)
      .values({ analysisId, userId: actor.userId, content: input })
      .onConflictDoUpdate({ target: [reviewDrafts.analysisId, reviewDrafts.userId], set: { content: input, updatedAt: sql`now()` } })
      .returning({ updatedAt: reviewDrafts.updatedAt });
    return { savedAt: row.updatedAt.toISOString() };
  });
}

/** Removes the reader's own draft (they saved it as the review's version, or threw it away). */
export async function discardOwnDraft(analysisId: string, userId: string, tx: Tx | typeof db = db): Promise<void> {
  await tx.delete(reviewDrafts).where(and(eq(reviewDrafts.analysisId, analysisId), eq(reviewDrafts.userId, userId)));
}

/** Removes every reader's draft of the analysis: once signed, a review changes only by amendment. */
export async function discardAllDrafts(tx: Tx, analysisId: string): Promise<void> {
  await tx.delete(reviewDrafts).where(eq(reviewDrafts.analysisId, analysisId));
}
