// A whole validation set: per finding with labels, the evaluation of every case that has both a score
// and a known label. Shared by `npm run evaluate` and the app, so both report the same numbers.
import { thresholdFor } from "@/lib/triage/rules";
import { evaluateFinding, type FindingEvaluation } from "./evaluate";
import type { GroundTruth } from "./labels-csv";

export interface EvaluatedCase {
  truth: GroundTruth;
  /** The model's findings for the case (any order). */
  findings: readonly { label: string; probability: number; calibrated: number }[];
}

export function evaluateSet(
  labels: readonly string[],
  cases: readonly EvaluatedCase[],
  siteThresholds: Readonly<Record<string, number>>,
): FindingEvaluation[] {
  return labels.map((label) => {
    const scored = cases.flatMap((c) => {
      const f = c.findings.find((x) => x.label === label);
      const truth = c.truth[label];
      return f && truth !== undefined ? [{ probability: f.probability, calibrated: f.calibrated, truth }] : [];
    });
    return evaluateFinding(label, scored, thresholdFor(label, siteThresholds));
  });
}

/** What an untrained model's validation must say wherever its numbers appear. */
export const UNTRAINED_VALIDATION_NOTICE =
  "This is the UNTRAINED demonstration model: its scores are random, so AUCs near 0.5 are expected. These numbers show how validation works; they say nothing about any real model.";
