import { describe, expect, it } from "vitest";
import { classify, computeAgreement, wilson, type ReviewedCall } from "./agreement";

const call = (label: string, modelPositive: boolean, decision?: "agree" | "disagree", added = false): ReviewedCall => ({
  label,
  modelPositive,
  decision,
  added,
});

describe("agreement statistics", () => {
  it("classifies each reviewed call", () => {
    expect(classify(call("A", true, "agree"))).toBe("tp");
    expect(classify(call("A", true, "disagree"))).toBe("fp");
    expect(classify(call("A", false, "disagree"))).toBe("fn");
    expect(classify(call("A", false, undefined, true))).toBe("fn");
    expect(classify(call("A", false, "agree"))).toBe("tn");
    expect(classify(call("A", true))).toBeNull();
  });

  it("computes sensitivity and specificity per finding (hand-computed)", () => {
    // Effusion: TP 3, FP 1, FN 1, TN 5 -> sensitivity 3/4, specificity 5/6.
    const calls = [
      ...Array.from({ length: 3 }, () => call("Effusion", true, "agree")),
      call("Effusion", true, "disagree"),
      call("Effusion", false, "disagree"),
      ...Array.from({ length: 5 }, () => call("Effusion", false, "agree")),
      // Mass: only negatives, one missed -> sensitivity 0/1, specificity 2/2.
      call("Mass", false, "agree"),
      call("Mass", false, "agree"),
      call("Mass", false, undefined, true),
    ];
    const rows = computeAgreement(calls, ["Effusion", "Mass", "Hernia"]);
    const eff = rows.find((r) => r.label === "Effusion")!;
    expect(eff).toMatchObject({ tp: 3, fp: 1, fn: 1, tn: 5, n: 10, sensitivity: 0.75 });
    expect(eff.specificity).toBeCloseTo(5 / 6, 12);
    const mass = rows.find((r) => r.label === "Mass")!;
    expect(mass).toMatchObject({ tp: 0, fp: 0, fn: 1, tn: 2, sensitivity: 0, specificity: 1 });
    const hernia = rows.find((r) => r.label === "Hernia")!;
    expect(hernia).toMatchObject({ n: 0, sensitivity: null, specificity: null, sensitivityCi: null });
    expect(rows.map((r) => r.label)).toEqual(["Effusion", "Mass", "Hernia"]);
  });

  it("gives the Wilson 95% interval", () => {
    // 3/4 by hand: z² = 3.8415, centre = (0.75 + z²/8) / (1 + z²/4) = 0.6275, half-width 0.3269.
    const [lo, hi] = wilson(3, 4)!;
    expect(lo).toBeCloseTo(0.3006, 3);
    expect(hi).toBeCloseTo(0.9544, 3);
    expect(wilson(0, 0)).toBeNull();
  });
});
