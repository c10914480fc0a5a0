// The two classifiers on the same labelled films: per finding, the films each model scored (a label a
// model did not assess has no score there and leaves it out) paired by film, then DeLong's test of the
// two correlated AUCs (paired-delong.ts). Pure, so the pairing rule is tested without a database.
import { pairedDeLong, type PairedAucResult } from "./paired-delong";

export interface ModelScores {
  /** Probability per label for one film; a label the model did not assess is absent. */
  [label: string]: number;
}

export interface ComparedCase {
  /** 1 present, 0 absent; a missing label is unknown. */
  truth: Record<string, 0 | 1>;
  a: ModelScores | null;
  b: ModelScores | null;
}

export type LabelComparison =
  | ({ label: string; films: number; kind: "compared" } & PairedAucResult)
  /** Either model gave this label no score on any film, or one class has no film. */
  | { label: string; films: number; kind: "not_comparable"; reason: "not_assessed_a" | "not_assessed_b" | "one_class" };

export function compareClassifiersOn(labels: readonly string[], cases: readonly ComparedCase[]): LabelComparison[] {
  const both = cases.filter((c) => c.a && c.b);
  return labels.map((label) => {
    const known = both.filter((c) => c.truth[label] === 0 || c.truth[label] === 1);
    const scoredA = known.filter((c) => c.a![label] !== undefined);
    const scoredB = known.filter((c) => c.b![label] !== undefined);
    if (known.length > 0 && scoredA.length === 0) return { label, films: 0, kind: "not_comparable", reason: "not_assessed_a" };
    if (known.length > 0 && scoredB.length === 0) return { label, films: 0, kind: "not_comparable", reason: "not_assessed_b" };
    const paired = known
      .filter((c) => c.a![label] !== undefined && c.b![label] !== undefined)
      .map((c) => ({ positive: c.truth[label] === 1, a: c.a![label], b: c.b![label] }));
    const result = pairedDeLong(paired);
    if (!result) return { label, films: paired.length, kind: "not_comparable", reason: "one_class" };
    return { label, films: paired.length, kind: "compared", ...result };
  });
}
