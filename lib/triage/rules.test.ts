import { describe, expect, it } from "vitest";
import { evaluateTriage, isCalled, TRIAGE_RANK, triageFinding, type TriageInput } from "./rules";

const base = (over: Partial<TriageInput> = {}): TriageInput => ({
  status: "completed",
  warnings: [],
  thresholds: {},
  findings: [
    { label: "Pneumothorax", calibrated: 0.3 },
    { label: "Effusion", calibrated: 0.4 },
    { label: "Cardiomegaly", calibrated: 0.45 },
  ],
  ...over,
});

const withScore = (label: string, calibrated: number, over: Partial<TriageInput> = {}) => {
  const input = base(over);
  return { ...input, findings: input.findings.map((f) => (f.label === label ? { ...f, calibrated } : f)) };
};

describe("triage rules", () => {
  it("calls nothing below the operating point: normal", () => {
    const r = evaluateTriage(base());
    expect(r.level).toBe("normal");
    expect(r.reasons[0]).toMatch(/No finding reaches its threshold/);
    expect(r.calledLabels).toEqual([]);
  });

  it("makes a pneumothorax at the operating point critical, with the score and threshold in the reason", () => {
    const r = evaluateTriage(withScore("Pneumothorax", 0.5));
    expect(r.level).toBe("critical");
    expect(r.reasons[0]).toBe("Critical finding: Pneumothorax 0.50 ≥ threshold 0.50.");
  });

  it("makes any other called finding abnormal", () => {
    const r = evaluateTriage(withScore("Effusion", 0.81));
    expect(r.level).toBe("abnormal");
    expect(r.reasons[0]).toBe("Abnormal: Effusion 0.81 ≥ threshold 0.50.");
    expect(r.calledLabels).toEqual(["Effusion"]);
  });

  it("applies site thresholds per finding", () => {
    expect(evaluateTriage(withScore("Pneumothorax", 0.35, { thresholds: { Pneumothorax: 0.3 } })).level).toBe("critical");
    expect(evaluateTriage(withScore("Effusion", 0.7, { thresholds: { Effusion: 0.75 } })).level).toBe("normal");
    expect(isCalled({ label: "Effusion", calibrated: 0.75 }, { Effusion: 0.75 })).toBe(true);
    // 1 switches a label off, even for a saturated score.
    expect(isCalled({ label: "Effusion", calibrated: 1 }, { Effusion: 1 })).toBe(false);
  });

  it("puts quality gates before findings: a lateral or a photograph is not assessable", () => {
    const lateral = evaluateTriage(
      withScore("Pneumothorax", 0.9, { warnings: [{ code: "non_frontal_view", message: "View position is LL." }] }),
    );
    expect(lateral.level).toBe("not_assessable");
    expect(lateral.reasons[0]).toMatch(/not a frontal/);
    expect(lateral.reasons[1]).toMatch(/not used for triage \(1\)/);
    const photo = evaluateTriage(base({ warnings: [{ code: "not_a_radiograph", message: "Colour image." }] }));
    expect(photo.level).toBe("not_assessable");
  });

  it("keeps the level for soft quality warnings but carries them as caveats", () => {
    const r = evaluateTriage(base({ warnings: [{ code: "low_contrast", message: "Very low contrast." }] }));
    expect(r.level).toBe("normal");
    expect(r.reasons).toContain("Quality caveat: Very low contrast.");
  });

  it("never triages an output the release has no operating point for", () => {
    const r = evaluateTriage(base({ findings: [triageFinding({ label: "Pneumothorax", calibrated: 0.5, positive: false })] }));
    expect(r.level).toBe("normal");
    expect(triageFinding({ label: "Pneumothorax", calibrated: 0.5, positive: true }).uncalibrated).toBe(false);
  });

  it("has no level while processing and is not assessable when the analysis failed", () => {
    expect(evaluateTriage(base({ status: "processing" })).level).toBeNull();
    expect(evaluateTriage(base({ status: "failed" })).level).toBe("not_assessable");
    expect(evaluateTriage(base({ findings: [] })).level).toBe("not_assessable");
  });

  it("ranks critical above abnormal above not assessable above normal", () => {
    expect(TRIAGE_RANK.critical).toBeLessThan(TRIAGE_RANK.abnormal);
    expect(TRIAGE_RANK.abnormal).toBeLessThan(TRIAGE_RANK.not_assessable);
    expect(TRIAGE_RANK.not_assessable).toBeLessThan(TRIAGE_RANK.normal);
  });
});
