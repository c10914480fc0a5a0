// The review lifecycle: draft (in review) -> sign-off (locked) -> amendments (new signed versions that
// keep every earlier one). Each step runs in one transaction holding the analysis row lock, so two
// radiologists saving at once get a conflict rather than an interleaving; each step is audited.
import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { recordAudit } from "@/lib/audit/record";
import { addDelivery, deliveryEngine } from "@/lib/pacs/delivery-jobs";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { analyses, findings, reviews, users } from "@/lib/db/schema";
import {
  changedLabels,
  displayLabel,
  normalizeReview,
  ResultConflictError,
  ReviewInputError,
  signedResult,
  undecidedLabels,
  type ModelCall,
  type NormalizedReview,
} from "./normalize";
import { discardAllDrafts, discardOwnDraft } from "./drafts";
import type { AmendInput, ReviewDraftInput, ReviewState } from "./input";

type Tx = Parameters<Parameters<typeof db.transaction>[0]>[0];

export async function getReviewState(analysisId: string): Promise<ReviewState> {
  const [analysis] = await db
    .select({ id: analyses.id, reviewStatus: analyses.reviewStatus })
    .from(analyses)
    .where(eq(analyses.id, analysisId))
    .limit(1);
  if (!analysis) throw new AppError("not_found", "No such analysis.");
  const rows = await db
    .select({ review: reviews, reviewer: { id: users.id, name: users.name, email: users.email } })
    .from(reviews)
    .innerJoin(users, eq(users.id, reviews.reviewerId))
    .where(eq(reviews.analysisId, analysisId))
    .orderBy(desc(reviews.version));
  return {
    analysisId,
    status: analysis.reviewStatus,
    versions: rows.map(({ review: r, reviewer }) => ({
      id: r.id,
      version: r.version,
      reviewer,
      decisions: r.decisions,
      addedFindings: r.addedFindings,
      impression: r.impression,
      measurements: r.measurements,
      amendmentReason: r.amendmentReason,
      overallResult: r.overallResult,
      signedOffAt: r.signedOffAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    })),
  };
}

interface Locked {
  calls: ModelCall[];
  latest: typeof reviews.$inferSelect | null;
}

/** Locks the analysis row and loads what every step needs. Only finished analyses can be reviewed. */
async function lockForReview(tx: Tx, analysisId: string): Promise<Locked> {
  const [analysis] = await tx
    .select({ status: analyses.status })
    .from(analyses)
    .where(eq(analyses.id, analysisId))
    .for("update")
    .limit(1);
  if (!analysis) throw new AppError("not_found", "No such analysis.");
  if (analysis.status !== "completed") {
    throw new AppError("conflict", "Only a completed analysis can be reviewed.", { subcode: "analysis_not_completed" });
  }
  const calls = await tx
    .select({ label: findings.label, positive: findings.positive })
    .from(findings)
    .where(eq(findings.analysisId, analysisId))
    .orderBy(findings.position);
  const [latest] = await tx
    .select()
    .from(reviews)
    .where(eq(reviews.analysisId, analysisId))
    .orderBy(desc(reviews.version))
    .limit(1);
  return { calls, latest: latest ?? null };
}

function normalized(input: ReviewDraftInput, calls: ModelCall[]): NormalizedReview {
  try {
    return normalizeReview(input, calls);
  } catch (error) {
    if (error instanceof ReviewInputError) throw new AppError("unprocessable", error.message, { subcode: "review_invalid" });
    throw error;
  }
}

/** Every finding decided and an overall result that agrees with them: the review as it is signed. */
function readyToSign(review: NormalizedReview, calls: ModelCall[]): NormalizedReview {
  const open = undecidedLabels(review, calls);
  if (open.length > 0) {
    throw new AppError("unprocessable", `Decide on every finding before signing off: ${open.map(displayLabel).join(", ")}.`, {
      subcode: "review_incomplete",
      detail: { undecided: open },
    });
  }
  try {
    return { ...review, overallResult: signedResult(review, calls) };
  } catch (error) {
    if (!(error instanceof ResultConflictError)) throw error;
    throw new AppError("unprocessable", error.message, {
      subcode: "review_result_conflict",
      detail: { overallResult: review.overallResult, conflictingFindings: error.conflicting },
    });
  }
}

const locked = () =>
  new AppError("conflict", "This review is signed off. Amend it to change it.", { subcode: "review_locked" });

const asStored = (r: typeof reviews.$inferSelect | null): NormalizedReview | null =>
  r
    ? {
        decisions: r.decisions,
        addedFindings: r.addedFindings,
        impression: r.impression,
        measurements: r.measurements,
        overallResult: r.overallResult,
      }
    : null;

function auditDetails(version: number, review: NormalizedReview, before: NormalizedReview | null, calls: ModelCall[]) {
  const labels = new Set(calls.map((c) => c.label));
  // Only model labels and counts reach the audit log: free text may hold anything a person typed.
  return {
    version,
    overallResult: review.overallResult,
    disagreements: Object.entries(review.decisions).filter(([, d]) => d === "disagree").map(([l]) => l),
    addedCount: review.addedFindings.length,
    changedLabels: changedLabels(before, review).filter((l) => labels.has(l)),
  };
}

interface StepArgs {
  actor: Principal;
  analysisId: string;
  headers?: Headers;
}

/** Saves the current review as a draft: creates version 1 or edits the unsigned latest version. */
export async function saveReviewDraft({ actor, analysisId, headers, input }: StepArgs & { input: ReviewDraftInput }) {
  const details = await db.transaction(async (tx) => {
    const { calls, latest } = await lockForReview(tx, analysisId);
    if (latest?.signedOffAt) throw locked();
    const review = normalized(input, calls);
    const version = await writeUnsigned(tx, analysisId, actor, latest, review, false);
    await tx.update(analyses).set({ reviewStatus: "in_review" }).where(eq(analyses.id, analysisId));
    // Saved as the review's version, the reader's own draft has done its job.
    await discardOwnDraft(analysisId, actor.userId, tx);
    return auditDetails(version, review, asStored(latest), calls);
  });
  await recordAudit({ actor, action: "review.save_draft", targetType: "analysis", targetId: analysisId, details, headers });
  return getReviewState(analysisId);
}

/** Signs the review off: every finding decided, then the version is locked with reviewer and time. */
export async function signOffReview({ actor, analysisId, headers, input }: StepArgs & { input: ReviewDraftInput }) {
  const boss = await deliveryEngine();
  const details = await db.transaction(async (tx) => {
    const { calls, latest } = await lockForReview(tx, analysisId);
    if (latest?.signedOffAt) throw locked();
    const review = readyToSign(normalized(input, calls), calls);
    const version = await writeUnsigned(tx, analysisId, actor, latest, review, true);
    await tx.update(analyses).set({ reviewStatus: "signed_off" }).where(eq(analyses.id, analysisId));
    await discardAllDrafts(tx, analysisId);
    // The verified SR is owed to the PACS from the moment the sign-off commits.
    await addDelivery(boss, tx, analysisId, version);
    return auditDetails(version, review, asStored(latest), calls);
  });
  await recordAudit({ actor, action: "review.sign_off", targetType: "analysis", targetId: analysisId, details, headers });
  return getReviewState(analysisId);
}

async function writeUnsigned(
  tx: Tx,
  analysisId: string,
  actor: Principal,
  latest: typeof reviews.$inferSelect | null,
  review: NormalizedReview,
  signOff: boolean,
): Promise<number> {
  const signedOffAt = signOff ? sql`now()` : null;
  if (!latest) {
    await tx.insert(reviews).values({ analysisId, version: 1, reviewerId: actor.userId, ...review, signedOffAt });
    return 1;
  }
  // The last person to touch a draft is its reviewer; the audit log keeps everyone who edited it.
  await tx
    .update(reviews)
    .set({ ...review, reviewerId: actor.userId, signedOffAt, updatedAt: sql`now()` })
    .where(eq(reviews.id, latest.id));
  return latest.version;
}

/** Amends a signed-off review: a new, signed version with a reason; earlier versions stay untouched. */
export async function amendReview({ actor, analysisId, headers, input }: StepArgs & { input: AmendInput }) {
  const boss = await deliveryEngine();
  const details = await db.transaction(async (tx) => {
    const { calls, latest } = await lockForReview(tx, analysisId);
    if (!latest?.signedOffAt) {
      throw new AppError("conflict", "Only a signed-off review can be amended; edit the draft instead.", {
        subcode: "review_not_signed_off",
      });
    }
    if (input.baseVersion !== latest.version) {
      throw new AppError("conflict", `Version ${latest.version} was saved while you were editing; reload and amend that.`, {
        subcode: "review_changed",
        detail: { currentVersion: latest.version },
      });
    }
    const review = readyToSign(normalized(input, calls), calls);
    const version = latest.version + 1;
    await tx.insert(reviews).values({
      analysisId,
      version,
      reviewerId: actor.userId,
      ...review,
      amendmentReason: input.reason,
      signedOffAt: sql`now()`,
    });
    await addDelivery(boss, tx, analysisId, version);
    return { ...auditDetails(version, review, asStored(latest), calls), amendsVersion: latest.version };
  });
  await recordAudit({ actor, action: "review.amend", targetType: "analysis", targetId: analysisId, details, headers });
  return getReviewState(analysisId);
}
