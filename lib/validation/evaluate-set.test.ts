import { describe, expect, it } from "vitest";
import { evaluateSet, type EvaluatedCase } from "./evaluate-set";

const finding = (label: string, probability: number, calibrated = probability) => ({ label, probability, calibrated });

describe("evaluateSet", () => {
  // Five cases; Effusion is unknown for two of them, Edema has positives only.
  const cases: EvaluatedCase[] = [
    { truth: { Effusion: 1, Edema: 1 }, findings: [finding("Effusion", 0.9, 0.8), finding("Edema", 0.2)] },
    { truth: { Effusion: 0 }, findings: [finding("Effusion", 0.3, 0.2), finding("Edema", 0.7)] },
    { truth: { Edema: 1 }, findings: [finding("Effusion", 0.99, 0.99), finding("Edema", 0.4)] },
    { truth: { Effusion: 1 }, findings: [finding("Effusion", 0.3, 0.2), finding("Edema", 0.1)] },
    { truth: {}, findings: [finding("Effusion", 0.01, 0.01), finding("Edema", 0.9)] },
  ];

  it("counts only cases with a known label, and gives no AUC when a class is missing", () => {
    const [effusion, edema] = evaluateSet(["Effusion", "Edema"], cases, { Effusion: 0.25 });
    // Effusion: positives 0.9 and 0.3, negative 0.3 -> pairs 1 + ½ of 2 = 0.75 (the unknown 0.99 and 0.01 left out).
    expect(effusion).toMatchObject({ label: "Effusion", n: 3, positives: 2, auc: 0.75 });
    // One negative: no DeLong interval.
    expect(effusion.aucCi).toBeNull();
    // Thresholds on the calibrated score: at the site's 0.25, one of two positives and no negative is called.
    expect(effusion.siteThreshold).toMatchObject({ threshold: 0.25, tp: 1, fn: 1, fp: 0, tn: 1 });
    expect(effusion.operatingPoint).toMatchObject({ threshold: 0.5, tp: 1, fn: 1, tn: 1 });
    // 90% of 2 positives -> both -> 0.2, which also calls the negative at 0.2.
    expect(effusion.sensitivity90).toMatchObject({ threshold: 0.2, sensitivity: 1, specificity: 0 });
    expect(edema).toMatchObject({ n: 2, positives: 2, auc: null, aucCi: null, roc: [] });
    expect(edema.calibration.ece).toBeCloseTo(1 - 0.3, 12);
  });
});
