// Two models on the same films (float32 against its int8 quantization, or any pair): per labelled
// finding the AUC difference with a paired DeLong test, and over every film the calibrated-score
// differences and the triage decisions that change. Pure, safe on the client: `npm run evaluate
// --compare` and the admin page show the same numbers.
import { evaluateTriage, isCalled, thresholdFor, type TriageLevel } from "@/lib/triage/rules";
import type { GroundTruth } from "./labels-csv";
import { pairedDeLong, type PairedAucResult } from "./paired-delong";

export interface ScoredFinding {
  label: string;
  probability: number;
  calibrated: number;
  positive: boolean;
}

export interface ComparedFilm {
  file: string;
  /** Known labels; an empty object for a film used only for agreement. */
  truth: GroundTruth;
  a: readonly ScoredFinding[];
  b: readonly ScoredFinding[];
}

export interface FindingComparison extends Omit<PairedAucResult, "positives" | "negatives"> {
  label: string;
  positives: number;
  negatives: number;
}

export interface ModelComparison {
  films: number;
  /** Per labelled finding with both classes present: AUC (on the probability) of A and B, paired DeLong. */
  auc: FindingComparison[];
  /** Findings with labels but a missing class: no AUC can be computed. */
  aucNotComputable: string[];
  calibrated: { maxAbsDifference: number; meanAbsDifference: number; worst: { file: string; label: string; a: number; b: number } | null };
  /** Film x finding pairs whose call (calibrated >= site threshold) differs. */
  changedCalls: { file: string; label: string; a: number; b: number; threshold: number }[];
  /** Films whose triage level differs. */
  changedTriage: { file: string; a: TriageLevel | null; b: TriageLevel | null }[];
  /** The acceptance this platform asks before the site may choose B: max |Δ calibrated| within the limit, no call or triage change. */
  acceptable: boolean;
  limit: number;
}

export const MAX_CALIBRATED_DIFFERENCE = 0.02;

const byLabel = (fs: readonly ScoredFinding[]) => new Map(fs.map((f) => [f.label, f]));
const triageFindings = (fs: readonly ScoredFinding[]) => fs.map((f) => ({ label: f.label, calibrated: f.calibrated, uncalibrated: f.label === "" || (!f.positive && f.calibrated === 0.5) }));

export function compareModels(
  labels: readonly string[],
  films: readonly ComparedFilm[],
  thresholds: Readonly<Record<string, number>>,
  limit = MAX_CALIBRATED_DIFFERENCE,
): ModelComparison {
  const auc: FindingComparison[] = [];
  const aucNotComputable: string[] = [];
  for (const label of labels) {
    const cases = films.flatMap((f) => {
      const truth = f.truth[label];
      const a = byLabel(f.a).get(label);
      const b = byLabel(f.b).get(label);
      return truth === undefined || !a || !b ? [] : [{ positive: truth === 1, a: a.probability, b: b.probability }];
    });
    if (cases.length === 0) continue;
    const r = pairedDeLong(cases);
    if (r) auc.push({ label, ...r });
    else aucNotComputable.push(label);
  }

  let max = 0;
  let sum = 0;
  let count = 0;
  let worst: ModelComparison["calibrated"]["worst"] = null;
  const changedCalls: ModelComparison["changedCalls"] = [];
  const changedTriage: ModelComparison["changedTriage"] = [];
  for (const film of films) {
    const b = byLabel(film.b);
    for (const fa of film.a) {
      const fb = b.get(fa.label);
      if (!fb) continue;
      const d = Math.abs(fa.calibrated - fb.calibrated);
      sum += d;
      count++;
      if (worst === null || d > max) {
        max = d;
        worst = { file: film.file, label: fa.label, a: fa.calibrated, b: fb.calibrated };
      }
      const [ta, tb] = triageFindings([fa, fb]);
      if (!ta.uncalibrated && isCalled(ta, thresholds) !== isCalled(tb, thresholds)) {
        changedCalls.push({ file: film.file, label: fa.label, a: fa.calibrated, b: fb.calibrated, threshold: thresholdFor(fa.label, thresholds) });
      }
    }
    const level = (fs: readonly ScoredFinding[]) => evaluateTriage({ status: "completed", findings: triageFindings(fs), warnings: [], thresholds }).level;
    const la = level(film.a);
    const lb = level(film.b);
    if (la !== lb) changedTriage.push({ file: film.file, a: la, b: lb });
  }
  return {
    films: films.length,
    auc,
    aucNotComputable,
    calibrated: { maxAbsDifference: max, meanAbsDifference: count ? sum / count : 0, worst },
    changedCalls,
    changedTriage,
    acceptable: films.length > 0 && max <= limit && changedCalls.length === 0 && changedTriage.length === 0,
    limit,
  };
}
