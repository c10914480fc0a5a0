import { describe, expect, it } from "vitest";
import { aucWithCi, calibration, confusionAt, midranks, rocCurve, thresholdForSensitivity, type LabelledScore } from "./metrics";

const cases = (pos: number[], neg: number[]): LabelledScore[] => [
  ...pos.map((score) => ({ score, positive: true })),
  ...neg.map((score) => ({ score, positive: false })),
];

// Brute force over every positive–negative pair, the definition itself (DeLong et al. 1988, eq. 2–4),
// as an independent check of the midrank computation.
function pairwise(pos: number[], neg: number[]) {
  const psi = (x: number, y: number) => (x > y ? 1 : x === y ? 0.5 : 0);
  const v10 = pos.map((x) => neg.reduce((a, y) => a + psi(x, y), 0) / neg.length);
  const v01 = neg.map((y) => pos.reduce((a, x) => a + psi(x, y), 0) / pos.length);
  const auc = v10.reduce((a, b) => a + b, 0) / pos.length;
  const s10 = v10.reduce((a, v) => a + (v - auc) ** 2, 0) / (pos.length - 1);
  const s01 = v01.reduce((a, v) => a + (v - auc) ** 2, 0) / (neg.length - 1);
  return { auc, variance: s10 / pos.length + s01 / neg.length };
}

describe("midranks", () => {
  it("gives tied values their mean rank", () => {
    expect(midranks([0.3, 0.1, 0.3, 0.2, 0.3])).toEqual([4, 1, 4, 2, 4]);
  });
});

describe("AUC and DeLong interval", () => {
  it("matches a small case worked by hand, with a tie across the classes", () => {
    // Positives 0.9, 0.8, 0.4; negatives 0.7, 0.4, 0.2, 0.1. Pairs won: 4 + 4 + (2 + ½) = 10.5 of 12.
    // V10 = 1, 1, 5/8 -> S10 = (1/64 + 1/64 + 1/16) / 2 = 3/64.
    // V01 = 2/3, 5/6, 1, 1 -> S01 = (25 + 1 + 9 + 9)/576 / 3 = 11/432.
    // Var = S10/3 + S01/4 = 1/64 + 11/1728 = 19/864; SE = 0.1482930; 0.875 ± 1.959964 × SE -> [0.58435, 1 (clipped)].
    const r = aucWithCi(cases([0.9, 0.8, 0.4], [0.7, 0.4, 0.2, 0.1]))!;
    expect(r.auc).toBeCloseTo(0.875, 12);
    expect(r.variance).toBeCloseTo(19 / 864, 12);
    expect(r.ci![0]).toBeCloseTo(0.875 - 1.959963984540054 * Math.sqrt(19 / 864), 12);
    expect(r.ci![0]).toBeCloseTo(0.58435, 5);
    expect(r.ci![1]).toBe(1);
  });

  it("reproduces Hanley & McNeil's (1982, Radiology 143:29, table 1) rating example, heavily tied", () => {
    // 58 normal and 51 abnormal CT images rated 1 (definitely normal) to 5 (definitely abnormal).
    // Published: AUC 0.893 (their SE by the exponential approximation: 0.032).
    // By hand: Σ over abnormal ratings k of count_k × (normals below k + ½ normals at k)
    //   = 3×16.5 + 2×36 + 2×42 + 11×50.5 + 33×57 = 2642; 2642 / (51 × 58) = 1321/1479 = 0.8931711.
    // DeLong variance, from the placement values in exact fractions (pairwise): 9.43989e-4, SE 0.0307244.
    const rep = (counts: number[]) => counts.flatMap((c, i) => Array<number>(c).fill(i + 1));
    const normal = rep([33, 6, 6, 11, 2]);
    const abnormal = rep([3, 2, 2, 11, 33]);
    const r = aucWithCi(cases(abnormal, normal))!;
    expect(r.auc).toBeCloseTo(1321 / 1479, 12);
    expect(r.auc).toBeCloseTo(0.893, 3);
    expect(Math.sqrt(r.variance!)).toBeCloseTo(0.0307244, 6);
    expect(r.ci![0]).toBeCloseTo(0.8329523, 6);
    expect(r.ci![1]).toBeCloseTo(0.9533898, 6);
  });

  it("agrees with the pairwise definition on random scores with many ties", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pos = Array.from({ length: 37 }, () => Math.round(rand() * 12) / 12 + 0.05);
    const neg = Array.from({ length: 53 }, () => Math.round(rand() * 12) / 12);
    const r = aucWithCi(cases(pos, neg))!;
    const ref = pairwise(pos, neg);
    expect(r.auc).toBeCloseTo(ref.auc, 12);
    expect(r.variance).toBeCloseTo(ref.variance, 14);
  });

  it("is 0.5 when every score ties, 1 and 0 for perfect separation either way", () => {
    expect(aucWithCi(cases([0.3, 0.3], [0.3, 0.3, 0.3]))!.auc).toBe(0.5);
    expect(aucWithCi(cases([0.3, 0.3], [0.3, 0.3, 0.3]))!.variance).toBe(0);
    expect(aucWithCi(cases([0.9, 0.8], [0.1, 0.2]))!.auc).toBe(1);
    expect(aucWithCi(cases([0.1, 0.2], [0.9, 0.8]))!.auc).toBe(0);
  });

  it("is null when a class is missing, and has no interval with a single case in a class", () => {
    expect(aucWithCi(cases([0.4, 0.6], []))).toBeNull();
    expect(aucWithCi(cases([], [0.4]))).toBeNull();
    const one = aucWithCi(cases([0.7], [0.2, 0.9, 0.5]))!;
    expect(one.auc).toBeCloseTo(2 / 3, 12);
    expect(one.ci).toBeNull();
  });
});

describe("confusion, ROC and thresholds for a target sensitivity", () => {
  const set = cases([0.9, 0.8, 0.4, 0.35], [0.7, 0.4, 0.2, 0.1]);

  it("calls a case positive at or above the threshold", () => {
    // At 0.4: positives 0.9, 0.8, 0.4 called (3 TP, 1 FN); negatives 0.7, 0.4 called (2 FP, 2 TN).
    expect(confusionAt(set, 0.4)).toEqual({ threshold: 0.4, tp: 3, fp: 2, fn: 1, tn: 2, sensitivity: 0.75, specificity: 0.5 });
  });

  it("draws the ROC through each distinct score, ties moving diagonally", () => {
    expect(rocCurve(set).map((p) => [p.fpr, p.tpr])).toEqual([
      [0, 0], [0, 0.25], [0, 0.5], [0.25, 0.5], [0.5, 0.75], [0.5, 1], [0.75, 1], [1, 1],
    ]);
  });

  it("picks the highest threshold that reaches the sensitivity", () => {
    // 90% of 4 positives -> 4 must be called -> the lowest positive, 0.35: spec 2/4.
    expect(thresholdForSensitivity(set, 0.9)).toMatchObject({ threshold: 0.35, tp: 4, sensitivity: 1, specificity: 0.5 });
    // 75% -> 3 of 4 -> 0.4 (the tie with a negative comes along).
    expect(thresholdForSensitivity(set, 0.75)).toMatchObject({ threshold: 0.4, sensitivity: 0.75, specificity: 0.5 });
    // Rounded down to four decimals, so the sensitivity still holds; never below the floor given.
    expect(thresholdForSensitivity(cases([0.123456], [0.1]), 0.9)!.threshold).toBe(0.1234);
    expect(thresholdForSensitivity(cases([0.003], [0.1]), 0.9, 0.01)!.threshold).toBe(0.01);
    expect(thresholdForSensitivity(cases([], [0.1]), 0.9)).toBeNull();
  });
});

describe("calibration", () => {
  it("bins predictions in tenths and weighs the gaps by bin size (ECE), by hand", () => {
    // Bin [0.1,0.2): 0.15, 0.15 (one positive): mean 0.15, observed 0.5, gap 0.35.
    // Bin [0.8,0.9): 0.85 positive: mean 0.85, observed 1, gap 0.15. Bin [0.9,1]: 1.0 negative: gap 1.
    // ECE = (2 × 0.35 + 1 × 0.15 + 1 × 1) / 4 = 0.4625.
    const c = calibration([
      { score: 0.15, positive: true },
      { score: 0.15, positive: false },
      { score: 0.85, positive: true },
      { score: 1, positive: false },
    ]);
    expect(c.bins).toHaveLength(10);
    expect(c.bins[1]).toMatchObject({ count: 2, observedRate: 0.5 });
    expect(c.bins[1].meanPredicted).toBeCloseTo(0.15, 12);
    expect(c.bins[8]).toMatchObject({ count: 1, observedRate: 1 });
    expect(c.bins[9]).toMatchObject({ count: 1, meanPredicted: 1, observedRate: 0 });
    expect(c.bins[0]).toMatchObject({ count: 0, meanPredicted: null, observedRate: null });
    expect(c.ece).toBeCloseTo(0.4625, 12);
  });

  it("is zero for a perfectly calibrated bin and null with no cases", () => {
    const c = calibration([0, 1, 2, 3].map((i) => ({ score: 0.25, positive: i === 0 })));
    expect(c.ece).toBeCloseTo(0, 12);
    expect(calibration([]).ece).toBeNull();
  });
});
