// Ground truth from a signed-off review: the radiologist's decision on each of the model's calls. Agreeing
// with a positive call or disagreeing with a negative one (or adding the finding as missed) means the
// finding is present; disagreeing with a positive or agreeing with a negative means it is absent; a
// finding without a decision is unknown. Pure: the same reading as the agreement statistics (lib/stats).
import type { GroundTruth } from "./labels-csv";

export function truthFromReview(
  calls: readonly { label: string; positive: boolean }[],
  review: { decisions: Record<string, "agree" | "disagree">; addedFindings: readonly string[] },
): GroundTruth {
  const truth: GroundTruth = {};
  for (const { label, positive } of calls) {
    if (label === "") continue;
    const decision = review.decisions[label];
    if (review.addedFindings.includes(label)) truth[label] = 1;
    else if (decision === "agree") truth[label] = positive ? 1 : 0;
    else if (decision === "disagree") truth[label] = positive ? 0 : 1;
  }
  return truth;
}
