import { describe, expect, it } from "vitest";
import { compareClassifiersOn, type ComparedCase } from "./classifier-pairs";
import { pairedDeLong } from "./paired-delong";

// Six films: A ranks Effusion perfectly, B gets one pair wrong; B has no score for Lung Lesion; a
// seventh film scored by A only is left out of every pair.
const films: ComparedCase[] = [
  { truth: { Effusion: 1, "Lung Lesion": 1 }, a: { Effusion: 0.9, "Lung Lesion": 0.8 }, b: { Effusion: 0.7 } },
  { truth: { Effusion: 1, "Lung Lesion": 0 }, a: { Effusion: 0.8, "Lung Lesion": 0.2 }, b: { Effusion: 0.3 } },
  { truth: { Effusion: 1, "Lung Lesion": 1 }, a: { Effusion: 0.7, "Lung Lesion": 0.6 }, b: { Effusion: 0.6 } },
  { truth: { Effusion: 0, "Lung Lesion": 0 }, a: { Effusion: 0.3, "Lung Lesion": 0.1 }, b: { Effusion: 0.4 } },
  { truth: { Effusion: 0 }, a: { Effusion: 0.2, "Lung Lesion": 0.5 }, b: { Effusion: 0.2 } },
  { truth: { Effusion: 0, "Lung Lesion": 1 }, a: { Effusion: 0.1, "Lung Lesion": 0.9 }, b: { Effusion: 0.1 } },
  { truth: { Effusion: 1, "Lung Lesion": 0 }, a: { Effusion: 0.05, "Lung Lesion": 0.3 }, b: null },
];

describe("two classifiers on the same labelled films", () => {
  it("pairs the films both models scored and tests the AUCs with DeLong's paired test", () => {
    const [effusion] = compareClassifiersOn(["Effusion"], films);
    expect(effusion.kind).toBe("compared");
    if (effusion.kind !== "compared") return;
    expect(effusion.films).toBe(6);
    // A: 9 of 9 positive-negative pairs in order; B: 8 of 9 (0.3 < 0.4).
    expect(effusion.aucA).toBeCloseTo(1, 12);
    expect(effusion.aucB).toBeCloseTo(8 / 9, 12);
    const direct = pairedDeLong(films.slice(0, 6).map((f) => ({ positive: f.truth.Effusion === 1, a: f.a!.Effusion, b: f.b!.Effusion })))!;
    expect(effusion.p).toBe(direct.p);
    expect(effusion.difference).toBeCloseTo(1 / 9, 12);
  });

  it("a label one model did not assess is not compared, and says which model", () => {
    const [lesion] = compareClassifiersOn(["Lung Lesion"], films);
    expect(lesion).toEqual({ label: "Lung Lesion", films: 0, kind: "not_comparable", reason: "not_assessed_b" });
    const swapped = compareClassifiersOn(["Lung Lesion"], films.map((f) => ({ ...f, a: f.b, b: f.a })));
    expect(swapped[0]).toMatchObject({ kind: "not_comparable", reason: "not_assessed_a" });
  });

  it("a label with films of one class only cannot be compared", () => {
    const [hernia] = compareClassifiersOn(["Hernia"], films.map((f) => ({ ...f, truth: { Hernia: 0 }, a: { Hernia: 0.1 }, b: { Hernia: 0.2 } })));
    expect(hernia).toMatchObject({ kind: "not_comparable", reason: "one_class", films: 7 });
  });
});
