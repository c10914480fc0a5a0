// The overall result of a signed review (normal / abnormal), and the one rule that keeps it honest: a
// review that confirms any finding is never normal. Pure, and shared by the sign-off check and by every
// report (draft, PDF, patient page), so no reader can show a normal result beside confirmed findings.
import { z } from "zod";

export const OverallResult = z.enum(["normal", "abnormal"]);
export type OverallResult = z.infer<typeof OverallResult>;

interface Reviewed {
  decisions: Record<string, "agree" | "disagree">;
  addedFindings: readonly string[];
}

/** Findings the review stands behind: model-positive calls it agreed with, plus the findings it added. */
export function confirmedFindings(review: Reviewed, calls: readonly { label: string; positive: boolean }[]): string[] {
  const agreed = calls.filter((c) => c.positive && review.decisions[c.label] === "agree").map((c) => c.label);
  return [...agreed, ...review.addedFindings.filter((a) => !agreed.includes(a))];
}

/** The confirmed findings a recorded result contradicts (none unless it says normal). */
export function resultConflicts(result: OverallResult | null | undefined, confirmed: readonly string[]): string[] {
  return result === "normal" ? [...confirmed] : [];
}

/**
 * The result a report shows. Confirmed findings always make it abnormal, whatever was stored (a review
 * signed before the result was recorded, or written around the sign-off check); with none, the recorded
 * result, or normal for an old review that recorded nothing.
 */
export function reportedResult(stored: OverallResult | null | undefined, confirmed: readonly string[]): OverallResult {
  if (confirmed.length > 0) return "abnormal";
  return stored ?? "normal";
}
