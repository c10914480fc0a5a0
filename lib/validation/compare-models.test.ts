import { describe, expect, it } from "vitest";
import { compareModels, type ComparedFilm, type ScoredFinding } from "./compare-models";

const f = (label: string, calibrated: number, probability = calibrated): ScoredFinding => ({ label, calibrated, probability, positive: calibrated >= 0.5 });

describe("comparing two models on the same films", () => {
  const films: ComparedFilm[] = [
    { file: "1.png", truth: { Effusion: 1 }, a: [f("Effusion", 0.9), f("Pneumothorax", 0.1)], b: [f("Effusion", 0.885), f("Pneumothorax", 0.11)] },
    { file: "2.png", truth: { Effusion: 1 }, a: [f("Effusion", 0.7), f("Pneumothorax", 0.2)], b: [f("Effusion", 0.71), f("Pneumothorax", 0.2)] },
    { file: "3.png", truth: { Effusion: 0 }, a: [f("Effusion", 0.3), f("Pneumothorax", 0.1)], b: [f("Effusion", 0.3), f("Pneumothorax", 0.1)] },
    { file: "4.png", truth: { Effusion: 0 }, a: [f("Effusion", 0.2), f("Pneumothorax", 0.3)], b: [f("Effusion", 0.21), f("Pneumothorax", 0.3)] },
  ];

  it("agreeing models: same AUC, differences within the limit, nothing changes", () => {
    const c = compareModels(["Effusion", "Pneumothorax"], films, {});
    expect(c.auc).toHaveLength(1);
    expect(c.auc[0]).toMatchObject({ label: "Effusion", aucA: 1, aucB: 1, difference: 0, p: 1 });
    expect(c.aucNotComputable).toEqual([]);
    expect(c.calibrated.maxAbsDifference).toBeCloseTo(0.015, 10);
    expect(c.calibrated.worst).toMatchObject({ file: "1.png", label: "Effusion" });
    expect(c.calibrated.meanAbsDifference).toBeCloseTo((0.015 + 0.01 + 0.01 + 0.01) / 8, 10);
    expect(c.changedCalls).toEqual([]);
    expect(c.changedTriage).toEqual([]);
    expect(c.acceptable).toBe(true);
  });

  it("a call crossing its threshold changes the triage and fails the comparison", () => {
    const moved = films.map((x) => (x.file === "4.png" ? { ...x, b: [f("Effusion", 0.21), f("Pneumothorax", 0.31)] } : x));
    const c = compareModels(["Effusion"], moved, { Pneumothorax: 0.305 });
    expect(c.changedCalls).toEqual([{ file: "4.png", label: "Pneumothorax", a: 0.3, b: 0.31, threshold: 0.305 }]);
    expect(c.changedTriage).toEqual([{ file: "4.png", a: "normal", b: "critical" }]);
    expect(c.acceptable).toBe(false);
  });

  it("a difference above the limit fails it; a finding with one class has no AUC", () => {
    const far = films.map((x) => (x.file === "2.png" ? { ...x, truth: { Effusion: 1 as const, Pneumothorax: 0 as const }, b: [f("Effusion", 0.75), f("Pneumothorax", 0.2)] } : x));
    const c = compareModels(["Effusion", "Pneumothorax"], far, {});
    expect(c.calibrated.maxAbsDifference).toBeCloseTo(0.05, 10);
    expect(c.acceptable).toBe(false);
    expect(c.aucNotComputable).toEqual(["Pneumothorax"]);
  });
});
