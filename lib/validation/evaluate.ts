// One finding's validation numbers from scored, labelled cases. Discrimination (AUC) and calibration use
// the model's probability, as the issue of "how good are the model's scores" is asked of them; every
// threshold (operating point, site threshold, the ones picked for a sensitivity) is on the calibrated
// score, because that is what triage compares with the site thresholds. op_norm is increasing, so the
// ROC curve is the same on either scale. Pure, safe on the client.
import { DEFAULT_THRESHOLD } from "@/lib/triage/rules";
import {
  aucWithCi,
  calibration,
  confusionAt,
  rocCurve,
  thresholdForSensitivity,
  type Calibration,
  type Confusion,
  type RocPoint,
} from "./metrics";

export interface ScoredCase {
  probability: number;
  calibrated: number;
  /** Ground truth for this finding; null when not known (the case does not count for it). */
  truth: 0 | 1 | null;
}

export interface FindingEvaluation {
  label: string;
  /** Cases with a known label for this finding. */
  n: number;
  positives: number;
  auc: number | null;
  aucCi: [number, number] | null;
  operatingPoint: Confusion;
  siteThreshold: Confusion;
  sensitivity90: Confusion | null;
  sensitivity95: Confusion | null;
  calibration: Calibration;
  /** On the calibrated score. */
  roc: RocPoint[];
}

/** Site thresholds accept 0.01..1 (lib/triage/thresholds.ts): a picked threshold never goes lower. */
export const MIN_SITE_THRESHOLD = 0.01;

export function evaluateFinding(label: string, cases: readonly ScoredCase[], siteThreshold: number): FindingEvaluation {
  const known = cases.filter((c) => c.truth !== null);
  const byProbability = known.map((c) => ({ score: c.probability, positive: c.truth === 1 }));
  const byCalibrated = known.map((c) => ({ score: c.calibrated, positive: c.truth === 1 }));
  const auc = aucWithCi(byProbability);
  return {
    label,
    n: known.length,
    positives: byProbability.filter((c) => c.positive).length,
    auc: auc?.auc ?? null,
    aucCi: auc?.ci ?? null,
    operatingPoint: confusionAt(byCalibrated, DEFAULT_THRESHOLD),
    siteThreshold: confusionAt(byCalibrated, siteThreshold),
    sensitivity90: thresholdForSensitivity(byCalibrated, 0.9, MIN_SITE_THRESHOLD),
    sensitivity95: thresholdForSensitivity(byCalibrated, 0.95, MIN_SITE_THRESHOLD),
    calibration: calibration(byProbability),
    roc: rocCurve(byCalibrated),
  };
}

/** The ROC curve thinned for storage and charts: never more than `max` points, the ends kept. */
export function thinRoc(points: readonly RocPoint[], max = 400): RocPoint[] {
  if (points.length <= max) return [...points];
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]);
}
