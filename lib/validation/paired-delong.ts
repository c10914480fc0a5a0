// DeLong's test for two correlated AUCs: two models scored the SAME cases (DeLong, DeLong &
// Clarke-Pearson 1988, Biometrics 44:837). Each model's AUC is the mean of its placement values; the
// variance of the difference uses the covariance of the two models' placements over the same
// positives (S10) and the same negatives (S01):
//   Var(A - B) = (S10_AA + S10_BB - 2 S10_AB) / m + (S01_AA + S01_BB - 2 S01_AB) / n
// z = (A - B) / sqrt(Var), two-sided p from the normal distribution. Pure, safe on the client.
import { midranks } from "./metrics";

export interface PairedCase {
  positive: boolean;
  /** Score of model A and of model B for this case. */
  a: number;
  b: number;
}

export interface PairedAucResult {
  positives: number;
  negatives: number;
  aucA: number;
  aucB: number;
  /** aucA - aucB */
  difference: number;
  /** DeLong variance of the difference; null with fewer than two cases in either class. */
  variance: number | null;
  /** 95% Wald interval of the difference. */
  ci: [number, number] | null;
  z: number | null;
  /** Two-sided p; 1 when the two models rank every case alike (zero difference, zero variance). */
  p: number | null;
}

const Z95 = 1.959963984540054;

/** Complementary error function (Numerical Recipes' erfcc, |relative error| < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Two-sided p-value of a standard normal statistic. */
export function twoSidedP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/** Placement values of one model's scores: V10 per positive, V01 per negative (ties count one half). */
function placements(pos: number[], neg: number[]): { v10: number[]; v01: number[]; auc: number } {
  const m = pos.length;
  const n = neg.length;
  const all = midranks([...pos, ...neg]);
  const posRanks = midranks(pos);
  const negRanks = midranks(neg);
  const v10 = pos.map((_, i) => (all[i] - posRanks[i]) / n);
  const v01 = neg.map((_, j) => 1 - (all[m + j] - negRanks[j]) / m);
  return { v10, v01, auc: v10.reduce((s, v) => s + v, 0) / m };
}

function covariance(x: number[], mx: number, y: number[], my: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - mx) * (y[i] - my);
  return s / (x.length - 1);
}

/** null when either class is empty. */
export function pairedDeLong(cases: readonly PairedCase[]): PairedAucResult | null {
  const pos = cases.filter((c) => c.positive);
  const neg = cases.filter((c) => !c.positive);
  const m = pos.length;
  const n = neg.length;
  if (m === 0 || n === 0) return null;
  const A = placements(
    pos.map((c) => c.a),
    neg.map((c) => c.a),
  );
  const B = placements(
    pos.map((c) => c.b),
    neg.map((c) => c.b),
  );
  const difference = A.auc - B.auc;
  const base = { positives: m, negatives: n, aucA: A.auc, aucB: B.auc, difference };
  if (m < 2 || n < 2) return { ...base, variance: null, ci: null, z: null, p: null };
  const s10 = covariance(A.v10, A.auc, A.v10, A.auc) + covariance(B.v10, B.auc, B.v10, B.auc) - 2 * covariance(A.v10, A.auc, B.v10, B.auc);
  const s01 = covariance(A.v01, A.auc, A.v01, A.auc) + covariance(B.v01, B.auc, B.v01, B.auc) - 2 * covariance(A.v01, A.auc, B.v01, B.auc);
  // Rounding can leave a tiny negative where the placements are identical.
  const variance = Math.max(0, s10 / m + s01 / n);
  if (variance === 0) return { ...base, variance, ci: [difference, difference], z: null, p: difference === 0 ? 1 : 0 };
  const se = Math.sqrt(variance);
  const z = difference / se;
  return { ...base, variance, ci: [difference - Z95 * se, difference + Z95 * se], z, p: twoSidedP(z) };
}
