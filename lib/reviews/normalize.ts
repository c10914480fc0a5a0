// Checks a review against the findings it reviews. Pure, so the rules are tested without a database:
// decisions only for findings the model reported, a missed finding is never one the model already
// called, and a sign-off leaves no finding undecided.
import type { Measurement } from "@/lib/core/measurement-types";
import type { Decision, ReviewDraftInput } from "./input";
import { confirmedFindings, resultConflicts, type OverallResult } from "@/lib/core/overall-result";

export interface ModelCall {
  label: string;
  positive: boolean;
}

export class ReviewInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReviewInputError";
  }
}

const key = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, " ").trim();
export const displayLabel = (label: string) => label.replaceAll("_", " ");

export interface NormalizedReview {
  decisions: Record<string, Decision>;
  addedFindings: string[];
  impression: string;
  measurements: Measurement[];
  overallResult: OverallResult | null;
}

export function normalizeReview(input: ReviewDraftInput, calls: readonly ModelCall[]): NormalizedReview {
  const byKey = new Map(calls.map((c) => [key(c.label), c]));
  const decisions: Record<string, Decision> = {};
  for (const [label, decision] of Object.entries(input.decisions)) {
    const call = byKey.get(key(label));
    if (!call) throw new ReviewInputError(`"${label}" is not a finding of this analysis.`);
    decisions[call.label] = decision;
  }

  const added: string[] = [];
  const seen = new Set<string>();
  for (const raw of input.addedFindings) {
    const call = byKey.get(key(raw));
    const name = call ? call.label : raw.trim();
    if (seen.has(key(name))) continue;
    seen.add(key(name));
    if (call) {
      if (call.positive) {
        throw new ReviewInputError(`The model already calls ${displayLabel(call.label)}; agree with it instead of adding it.`);
      }
      // Adding a finding the model scored negative is disagreeing with that negative call.
      if (decisions[call.label] === "agree") {
        throw new ReviewInputError(`${displayLabel(call.label)} cannot be both added as missed and agreed as negative.`);
      }
      decisions[call.label] = "disagree";
    }
    added.push(name);
  }
  return {
    decisions,
    addedFindings: added,
    impression: input.impression.trim(),
    measurements: input.measurements ?? [],
    overallResult: input.overallResult ?? null,
  };
}

/** Labels still without a decision; a sign-off needs none. */
export function undecidedLabels(review: NormalizedReview, calls: readonly ModelCall[]): string[] {
  return calls.filter((c) => !review.decisions[c.label]).map((c) => c.label);
}

/**
 * The overall result a sign-off records: the one given, or the one the confirmed findings imply when none
 * was given. A normal result beside confirmed findings throws, naming them.
 */
export function signedResult(review: NormalizedReview, calls: readonly ModelCall[]): OverallResult {
  const confirmed = confirmedFindings(review, calls);
  const conflicts = resultConflicts(review.overallResult, confirmed);
  if (conflicts.length > 0) throw new ResultConflictError(conflicts);
  return review.overallResult ?? (confirmed.length > 0 ? "abnormal" : "normal");
}

export class ResultConflictError extends ReviewInputError {
  constructor(readonly conflicting: string[]) {
    super(
      `The overall result cannot be normal: the review confirms ${conflicting.map(displayLabel).join(", ")}. ` +
        "Record an abnormal result, or change your decision on those findings.",
    );
    this.name = "ResultConflictError";
  }
}

/** Labels whose decision differs between two versions, plus added findings that appeared or vanished. */
export function changedLabels(before: NormalizedReview | null, after: NormalizedReview): string[] {
  const labels = new Set([...Object.keys(before?.decisions ?? {}), ...Object.keys(after.decisions)]);
  const changed = [...labels].filter((l) => before?.decisions[l] !== after.decisions[l]);
  const addedBefore = new Set(before?.addedFindings ?? []);
  const addedAfter = new Set(after.addedFindings);
  for (const a of addedAfter) if (!addedBefore.has(a) && !changed.includes(a)) changed.push(a);
  for (const a of addedBefore) if (!addedAfter.has(a) && !changed.includes(a)) changed.push(a);
  return changed.sort();
}
