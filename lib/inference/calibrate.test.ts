import { describe, expect, it } from "vitest";
import { fixturesPresent, readFixture, SKIP_NOTE } from "@/test/support/imaging/fixtures";
import { calibrate, opNorm, sigmoid } from "./calibrate";
import { CATALOG } from "@/lib/model-builder/catalog";

describe("sigmoid", () => {
  it("is stable at the extremes and exact at 0", () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(2)).toBeCloseTo(1 / (1 + Math.exp(-2)), 15);
    expect(sigmoid(-2)).toBeCloseTo(1 / (1 + Math.exp(2)), 15);
  });
});

describe("opNorm (TorchXRayVision op_norm)", () => {
  it("maps the threshold to 0.5, below to p/(2t), above to 1-(1-p)/(2(1-t))", () => {
    expect(opNorm(0.2, 0.2)).toBe(0.5);
    expect(opNorm(0.1, 0.2)).toBeCloseTo(0.1 / 0.4, 15);
    expect(opNorm(0.6, 0.2)).toBeCloseTo(1 - 0.4 / 1.6, 15);
    expect(opNorm(0, 0.2)).toBe(0);
    expect(opNorm(1, 0.2)).toBe(1);
  });
  it("gives 0.5 for a missing threshold, as TorchXRayVision does for NaN", () => {
    expect(opNorm(0.9, null)).toBe(0.5);
    expect(opNorm(0.9, Number.NaN)).toBe(0.5);
  });
});

describe("calibrate", () => {
  const all = CATALOG["densenet121-res224-all"];

  it("returns findings in output order with positive iff calibrated >= 0.5", () => {
    const logits = all.op_threshs.map((t, i) => Math.log(t! / (1 - t!)) + (i % 2 ? 0.5 : -0.5));
    const f = calibrate(logits, all);
    expect(f.map((x) => x.label)).toEqual(all.labels);
    f.forEach((x, i) => {
      expect(x.positive).toBe(i % 2 === 1);
      expect(x.positive).toBe(x.calibrated >= 0.5);
      expect(x.probability).toBeCloseTo(sigmoid(logits[i]), 15);
    });
  });

  it("a probability exactly at the operating point is positive", () => {
    const t = all.op_threshs[0]!;
    const f = calibrate([Math.log(t / (1 - t)), ...new Array(17).fill(-10)], all);
    expect(f[0].calibrated).toBeCloseTo(0.5, 12);
  });

  it("never marks untrained outputs positive; without thresholds uses the probability", () => {
    const nih = CATALOG["densenet121-res224-nih"];
    const f = calibrate(new Array(18).fill(5), nih);
    expect(f.slice(14).every((x) => x.label === "" && !x.positive && x.calibrated === 0.5)).toBe(true);
    expect(f.slice(0, 14).every((x) => x.positive)).toBe(true);
    const raw = calibrate([3, -3], { labels: ["a", "b"], op_threshs: null });
    expect(raw[0]).toMatchObject({ calibrated: sigmoid(3), positive: true });
    expect(raw[1]).toMatchObject({ calibrated: sigmoid(-3), positive: false });
  });

  it("marks a labelled output without an operating point as not assessed, never positive", () => {
    // resnet50-res512-all: Lung Lesion and Enlarged Cardiomediastinum have no operating point.
    const f = calibrate([5, 5, -5], { labels: ["Effusion", "Lung Lesion", ""], op_threshs: [0.5, null, null] });
    expect(f[0]).toMatchObject({ assessed: true, positive: true });
    expect(f[1]).toMatchObject({ label: "Lung Lesion", assessed: false, positive: false });
    expect(f[2]).toMatchObject({ assessed: false, positive: false });
    const raw = calibrate([1, 1], { labels: ["a", ""], op_threshs: null });
    expect(raw.map((x) => x.assessed)).toEqual([true, false]);
  });

  it("rejects a logit count that does not match the labels", () => {
    expect(() => calibrate([1, 2], all)).toThrow(/2 logits for 18 labels/);
  });
});

describe.skipIf(!fixturesPresent)("calibrate against the TorchXRayVision reference", () => {
  if (!fixturesPresent) it.skip(SKIP_NOTE, () => {});

  it("reproduces probabilities and calibrated scores from the reference logits within 1e-6", () => {
    const ref = JSON.parse(readFixture("xrv", "reference.json").toString("utf8"));
    expect(ref.labels).toEqual(CATALOG["densenet121-res224-all"].labels);
    expect(ref.op_threshs).toEqual(CATALOG["densenet121-res224-all"].op_threshs);
    for (const im of ref.images) {
      const f = calibrate(im.logits, { labels: ref.labels, op_threshs: ref.op_threshs });
      f.forEach((x, i) => {
        expect(Math.abs(x.probability - im.probabilities[i])).toBeLessThan(1e-6);
        expect(Math.abs(x.calibrated - im.calibrated[i])).toBeLessThan(1e-6);
      });
    }
  });
});
