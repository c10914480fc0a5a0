import { describe, expect, it } from "vitest";
import { aucWithCi } from "./metrics";
import { erfc, pairedDeLong, twoSidedP, type PairedCase } from "./paired-delong";

// Worked by hand. Positives (A, B): (0.9, 0.7) (0.8, 0.9) (0.4, 0.6); negatives: (0.3, 0.8) (0.5, 0.2).
// A: V10 = [1, 1, 1/2] (0.4 beats 0.3 only), V01 = [1, 2/3]; AUC_A = 5/6.
// B: V10 = [1/2, 1, 1/2], V01 = [1/3, 1]; AUC_B = 2/3. Difference 1/6.
// S10 (m - 1 = 2): deviations A [1/6, 1/6, -1/3], B [-1/6, 1/3, -1/6]:
//   S_AA = (1/36 + 1/36 + 4/36) / 2 = 1/12, S_BB = 1/12, S_AB = (-1/36 + 2/36 + 2/36) / 2 = 1/24.
// S01 (n - 1 = 1): deviations A [1/6, -1/6], B [-1/3, 1/3]: S_AA = 1/18, S_BB = 2/9, S_AB = -1/9.
// Var = (1/12 + 1/12 - 1/12) / 3 + (1/18 + 2/9 + 2/9) / 2 = 1/36 + 1/4 = 5/18.
// z = (1/6) / sqrt(5/18) = 1/sqrt(10) = 0.316228; p = 2 (1 - Phi(0.316228)) = 0.751830.
const handCase: PairedCase[] = [
  { positive: true, a: 0.9, b: 0.7 },
  { positive: true, a: 0.8, b: 0.9 },
  { positive: true, a: 0.4, b: 0.6 },
  { positive: false, a: 0.3, b: 0.8 },
  { positive: false, a: 0.5, b: 0.2 },
];

describe("paired DeLong test", () => {
  it("matches the hand-computed case", () => {
    const r = pairedDeLong(handCase)!;
    expect(r.aucA).toBeCloseTo(5 / 6, 12);
    expect(r.aucB).toBeCloseTo(2 / 3, 12);
    expect(r.difference).toBeCloseTo(1 / 6, 12);
    expect(r.variance).toBeCloseTo(5 / 18, 12);
    expect(r.z).toBeCloseTo(1 / Math.sqrt(10), 10);
    expect(r.p).toBeCloseTo(0.75183, 5);
    const half = 1.959963984540054 * Math.sqrt(5 / 18);
    expect(r.ci![0]).toBeCloseTo(1 / 6 - half, 10);
    expect(r.ci![1]).toBeCloseTo(1 / 6 + half, 10);
  });

  it("agrees with the single-model DeLong AUCs, and is symmetric", () => {
    const r = pairedDeLong(handCase)!;
    expect(r.aucA).toBeCloseTo(aucWithCi(handCase.map((c) => ({ positive: c.positive, score: c.a })))!.auc, 12);
    const swapped = pairedDeLong(handCase.map((c) => ({ ...c, a: c.b, b: c.a })))!;
    expect(swapped.difference).toBeCloseTo(-r.difference, 12);
    expect(swapped.p).toBeCloseTo(r.p!, 12);
  });

  it("two models ranking every case alike differ by nothing, p = 1", () => {
    const same = handCase.map((c) => ({ ...c, b: c.a * 0.5 + 0.1 })); // monotone transform: same ranks
    const r = pairedDeLong(same)!;
    expect(r.difference).toBe(0);
    expect(r.variance).toBe(0);
    expect(r.p).toBe(1);
  });

  it("needs both classes; no variance below two cases in a class", () => {
    expect(pairedDeLong(handCase.filter((c) => c.positive))).toBeNull();
    const r = pairedDeLong([handCase[0], handCase[3], handCase[4]])!;
    expect(r.variance).toBeNull();
    expect(r.p).toBeNull();
  });

  it("normal tail", () => {
    expect(twoSidedP(1.959963984540054)).toBeCloseTo(0.05, 6);
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(twoSidedP(0)).toBe(1);
  });
});
