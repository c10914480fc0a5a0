import { describe, expect, it } from "vitest";
import { fixtureSummary } from "@/test/support/anatomy/fixture-summary";
import { zooPresent } from "@/test/support/zoo-models";
import { findingZones, measuredCtr, spanLength, UNKNOWN_PROJECTION_NOTE, zoneForPatient } from "./measured-ctr";
import { AP_NOTE } from "./run-models";

// The reference masks of dx-12bit-explicit-le.dcm (512 x 430 film): heart widest row 508, columns
// 113..499 (387 px); lungs widest row 287, columns 10..506 (497 px) in the 512 frame. The centre crop is
// 430 px wide from column 41, so one model pixel is 430/512 film pixels.
const FILM = { width: 512, height: 430, pixelSpacingMm: [0.2, 0.2] as const };
const SCALE = 430 / 512;

describe.skipIf(!zooPresent)("the software-measured cardiothoracic ratio", () => {
  it("is the masks' ratio with both lines on the film, in mm when the film is calibrated", () => {
    const { summary, referenceRatio } = fixtureSummary("dx-12bit-explicit-le.dcm", { film: FILM, projection: "PA" });
    const ctr = measuredCtr(summary, { viewPosition: "PA", nonFrontal: false })!;
    expect(ctr.ratio).toBeCloseTo(387 / 497, 12);
    expect(ctr.ratio).toBeCloseTo(referenceRatio!, 12);
    expect(ctr.heart.left).toBeCloseTo(41 + 113 * SCALE, 9);
    expect(ctr.heart.right).toBeCloseTo(41 + 500 * SCALE, 9);
    expect(ctr.heart.row).toBeCloseTo(508.5 * SCALE, 9);
    expect(spanLength(ctr.heart)).toEqual({ value: expect.closeTo(387 * SCALE * 0.2, 9), unit: "mm" });
    expect(spanLength(ctr.thorax)).toEqual({ value: expect.closeTo(497 * SCALE * 0.2, 9), unit: "mm" });
    expect(ctr.calibrated).toBe(true);
    expect(ctr.note).toBeNull();
    expect(ctr.model.trained).toBe(false);
  });

  it("uncalibrated films keep film pixels; AP films carry the note, unstated projections a conditional one", () => {
    const { summary } = fixtureSummary("dx-12bit-explicit-le.dcm", { film: { width: 512, height: 430 }, projection: "AP" });
    const ap = measuredCtr(summary, { viewPosition: "AP", nonFrontal: false })!;
    expect(ap.calibrated).toBe(false);
    expect(spanLength(ap.thorax)).toEqual({ value: expect.closeTo(497 * SCALE, 9), unit: "px" });
    expect(ap.projection).toBe("AP");
    expect(ap.note).toBe(AP_NOTE);
    const png = measuredCtr({ ...summary, projection: null, apNote: null }, { viewPosition: null, nonFrontal: false })!;
    expect(png.projection).toBe("unknown");
    expect(png.note).toBe(UNKNOWN_PROJECTION_NOTE);
  });

  it("is not reported for a lateral, a film flagged as not frontal, an empty heart, or no anatomy", () => {
    const { summary } = fixtureSummary("dx-12bit-explicit-le.dcm", { film: FILM, projection: null });
    expect(measuredCtr(summary, { viewPosition: "LL", nonFrontal: false })).toBeNull();
    expect(measuredCtr(summary, { viewPosition: null, nonFrontal: true })).toBeNull();
    expect(measuredCtr(null, { viewPosition: "PA", nonFrontal: false })).toBeNull();
    const empty = fixtureSummary("siim-jpeg-baseline.dcm", { film: { width: 1024, height: 1024, pixelSpacingMm: [0.168, 0.168] } });
    expect(empty.referenceRatio).toBeNull();
    expect(empty.summary.ctr.ratio).toBeNull();
    expect(measuredCtr(empty.summary, { viewPosition: "PA", nonFrontal: false })).toBeNull();
  });

  it("names each positive finding's zone from the heatmap peak, and says it plainly for patients", () => {
    // Two maps on a 7 x 7 grid: one peak low on the image's left (the patient's right lung), one at the top.
    const cam = { data: new Array(2 * 49).fill(0), shape: [2, 7, 7] as const };
    cam.data[5 * 7 + 1] = 9;
    cam.data[49 + 0 * 7 + 3] = 9;
    const { summary } = fixtureSummary("dx-12bit-explicit-le.dcm", { film: FILM, zonesFrom: { cam, classes: { Effusion: 0, Nodule: 1 } } });
    const zones = findingZones(summary, ["Nodule", "Effusion", "Mass"]);
    expect(zones.map((z) => z.label)).toEqual(["Nodule", "Effusion"]);
    for (const z of zones) expect(z.zone === null || /^(right|left) (upper|middle|lower) zone$/.test(z.zone)).toBe(true);
    expect(zones.some((z) => z.zone !== null)).toBe(true);
    expect(zoneForPatient("right lower zone")).toBe("the lower part of the right lung");
    expect(zoneForPatient(null)).toBe("outside the outline of the lungs");
    expect(findingZones(null, ["Effusion"])).toEqual([]);
  });
});
