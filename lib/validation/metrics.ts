// Discrimination and calibration of one finding's scores against known labels. Pure functions, safe on
// the client: the CLI, the stored results and the threshold picker all compute with these.
//
// Conventions: a case is called positive when its score is AT OR ABOVE the threshold (as triage does,
// lib/triage/rules.ts isCalled). AUC is the Mann–Whitney statistic, ties counting one half; its interval
// is DeLong's (DeLong, DeLong & Clarke-Pearson 1988, Biometrics 44:837) computed through midranks
// (Sun & Xu 2014, IEEE Signal Process. Lett. 21:1389), which gives the same placements in O(N log N).

export interface LabelledScore {
  score: number;
  positive: boolean;
}

const Z95 = 1.959963984540054;

/** 1-based ranks of `values` with ties sharing their mean rank. */
export function midranks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]] === values[order[i]]) j++;
    const mean = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = mean;
    i = j + 1;
  }
  return ranks;
}

export interface AucResult {
  auc: number;
  /** DeLong variance of the AUC; null with fewer than two cases in either class. */
  variance: number | null;
  ci: [number, number] | null;
}

/** AUC with its 95% DeLong interval (Wald, clipped to [0, 1]); null when either class is empty. */
export function aucWithCi(cases: readonly LabelledScore[]): AucResult | null {
  const pos = cases.filter((c) => c.positive).map((c) => c.score);
  const neg = cases.filter((c) => !c.positive).map((c) => c.score);
  const m = pos.length;
  const n = neg.length;
  if (m === 0 || n === 0) return null;
  const all = midranks([...pos, ...neg]);
  const posRanks = midranks(pos);
  const negRanks = midranks(neg);
  // Placement values: V10(x) = share of negatives below x (ties 1/2), V01(y) = share of positives above y.
  const v10 = pos.map((_, i) => (all[i] - posRanks[i]) / n);
  const v01 = neg.map((_, j) => 1 - (all[m + j] - negRanks[j]) / m);
  const auc = v10.reduce((a, b) => a + b, 0) / m;
  if (m < 2 || n < 2) return { auc, variance: null, ci: null };
  const s10 = v10.reduce((a, v) => a + (v - auc) ** 2, 0) / (m - 1);
  const s01 = v01.reduce((a, v) => a + (v - auc) ** 2, 0) / (n - 1);
  const variance = s10 / m + s01 / n;
  const half = Z95 * Math.sqrt(variance);
  return { auc, variance, ci: [Math.max(0, auc - half), Math.min(1, auc + half)] };
}

export interface Confusion {
  threshold: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  sensitivity: number | null;
  specificity: number | null;
}

export function confusionAt(cases: readonly LabelledScore[], threshold: number): Confusion {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const c of cases) {
    const called = c.score >= threshold;
    if (c.positive && called) tp++;
    else if (c.positive) fn++;
    else if (called) fp++;
    else tn++;
  }
  return {
    threshold,
    tp,
    fp,
    fn,
    tn,
    sensitivity: tp + fn ? tp / (tp + fn) : null,
    specificity: tn + fp ? tn / (tn + fp) : null,
  };
}

export interface RocPoint {
  /** Cases at or above this score are called positive. */
  threshold: number;
  fpr: number;
  tpr: number;
}

/** The empirical ROC curve: (0,0), one point per distinct score from the highest down, ending at (1,1). */
export function rocCurve(cases: readonly LabelledScore[]): RocPoint[] {
  const m = cases.filter((c) => c.positive).length;
  const n = cases.length - m;
  if (m === 0 || n === 0) return [];
  const sorted = [...cases].sort((a, b) => b.score - a.score);
  const points: RocPoint[] = [{ threshold: Infinity, fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < sorted.length; ) {
    const score = sorted[i].score;
    while (i < sorted.length && sorted[i].score === score) {
      if (sorted[i].positive) tp++;
      else fp++;
      i++;
    }
    points.push({ threshold: score, fpr: fp / n, tpr: tp / m });
  }
  return points;
}

/** Thresholds are kept to four decimals, rounded DOWN so the sensitivity they were chosen for still holds. */
const floor4 = (t: number) => Math.floor(t * 1e4 + 1e-9) / 1e4;

/**
 * The highest threshold whose sensitivity reaches `target` (0..1): the k-th highest positive score with
 * k = ceil(target × positives), floored to four decimals and never below `min`. Null without positives.
 */
export function thresholdForSensitivity(cases: readonly LabelledScore[], target: number, min = 0): Confusion | null {
  const pos = cases.filter((c) => c.positive).map((c) => c.score).sort((a, b) => b - a);
  if (pos.length === 0) return null;
  const k = Math.min(pos.length, Math.max(1, Math.ceil(target * pos.length - 1e-9)));
  return confusionAt(cases, Math.max(min, floor4(pos[k - 1])));
}

export interface CalibrationBin {
  /** Lower and upper edge of the bin; the last bin includes 1. */
  from: number;
  to: number;
  count: number;
  meanPredicted: number | null;
  observedRate: number | null;
}

export interface Calibration {
  bins: CalibrationBin[];
  /** Expected calibration error: Σ (count/N) |observed − mean predicted| over the non-empty bins. */
  ece: number | null;
}

/** Reliability table over `binCount` equal-width bins of the predicted probability. */
export function calibration(cases: readonly LabelledScore[], binCount = 10): Calibration {
  const sums = Array.from({ length: binCount }, () => ({ count: 0, predicted: 0, positives: 0 }));
  for (const c of cases) {
    const b = sums[Math.min(binCount - 1, Math.max(0, Math.floor(c.score * binCount)))];
    b.count++;
    b.predicted += c.score;
    if (c.positive) b.positives++;
  }
  const bins = sums.map((b, i) => ({
    from: i / binCount,
    to: (i + 1) / binCount,
    count: b.count,
    meanPredicted: b.count ? b.predicted / b.count : null,
    observedRate: b.count ? b.positives / b.count : null,
  }));
  const total = cases.length;
  const ece = total
    ? bins.reduce((a, b) => (b.count ? a + (b.count / total) * Math.abs(b.observedRate! - b.meanPredicted!) : a), 0)
    : null;
  return { bins, ece };
}
