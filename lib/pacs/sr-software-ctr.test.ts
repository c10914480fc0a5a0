import { describe, expect, it } from "vitest";
import { fixtureSummary } from "@/test/support/anatomy/fixture-summary";
import { readMeasurementGroups } from "@/test/support/sr-groups";
import { zooPresent } from "@/test/support/zoo-models";
import { AP_NOTE } from "@/lib/anatomy/run-models";
import type { SourceContext } from "./dicom-file";
import type { ResultContent } from "./result-content";
import { softwareCtrGroups, softwareCtrSummary } from "./sr-software-ctr";

const source = { sopClassUid: "1.2.840.10008.5.1.4.1.1.1.1", sopInstanceUid: "2.25.42" } as SourceContext;
const SCALE = 430 / 512;

function content(viewPosition: string, calibrated: boolean): ResultContent {
  const film = { width: 512, height: 430, pixelSpacingMm: calibrated ? ([0.2, 0.2] as const) : null };
  const { summary } = fixtureSummary("dx-12bit-explicit-le.dcm", { film, projection: viewPosition === "AP" ? "AP" : "PA" });
  return {
    analysisId: "4f0c7a4e-2b43-4a55-9a43-3c9a0f1d2e11",
    studyOrdinal: 1,
    analysedAt: new Date("2025-03-04T10:00:00Z"),
    model: { name: "densenet121-res224-all", version: "1", trained: true },
    findings: [],
    camSide: { h: 7, w: 7 },
    triageLevel: null,
    qualityWarnings: [],
    pixelSpacing: calibrated ? [0.2, 0.2] : null,
    verification: null,
    anatomy: summary,
    viewPosition,
  };
}

const report = (groups: Record<string, unknown>[]) => ({ ContentSequence: [{ ConceptNameCodeSequence: [{ CodeMeaning: "Imaging Measurements" }], ContentSequence: groups }] });
const meaning = (i: Record<string, unknown>) => (i.ConceptNameCodeSequence as { CodeMeaning: string }[])[0].CodeMeaning;

describe.skipIf(!zooPresent)("SR: the software-measured cardiothoracic ratio", () => {
  it("draws the cardiac and thoracic widths as lines on the analysed image, with the algorithm", () => {
    const groups = softwareCtrGroups(content("PA", true), source);
    const read = readMeasurementGroups(report(groups));
    expect(read.map((g) => g.comment)).toEqual([
      "CTR 0.78 (software, UNTRAINED MODEL): cardiac width 65.0 mm",
      "CTR 0.78 (software, UNTRAINED MODEL): thoracic width 83.5 mm",
    ]);
    expect(read.map((g) => g.trackingIdentifier)).toEqual(["Cornerstone3DTools@^0.1.0:Length", "Cornerstone3DTools@^0.1.0:Length"]);
    const [cardiac, thoracic] = read.map((g) => g.values[0]);
    expect(cardiac.unit).toBe("mm");
    expect(cardiac.value).toBeCloseTo(387 * SCALE * 0.2, 3);
    expect(cardiac.scoord?.referencedSopInstanceUid).toBe("2.25.42");
    const [x0, y0, x1, y1] = cardiac.scoord!.points;
    expect([x0, y0, x1, y1].map((v) => Math.round(v * 100) / 100)).toEqual([41 + 113 * SCALE, 508.5 * SCALE, 41 + 500 * SCALE, 508.5 * SCALE].map((v) => Math.round(v * 100) / 100));
    expect(thoracic.value).toBeCloseTo(497 * SCALE * 0.2, 3);
    for (const g of groups) {
      const items = g.ContentSequence as Record<string, unknown>[];
      expect(items.filter((i) => meaning(i) === "Algorithm Name").map((i) => i.TextValue)).toEqual(["chestx_det-pspnet"]);
      expect(items.filter((i) => meaning(i) === "Algorithm Version").map((i) => i.TextValue)).toEqual(["fixture-seed1"]);
    }
  });

  it("lists the ratio with its algorithm and notes at report level; an AP film gets the note, a lateral nothing", () => {
    const items = softwareCtrSummary(content("AP", false));
    const ratio = items[0] as { MeasuredValueSequence: { NumericValue: string }[]; ContentSequence: Record<string, unknown>[] };
    expect(meaning(items[0])).toBe("Cardiothoracic ratio");
    expect(ratio.MeasuredValueSequence[0].NumericValue).toBe((387 / 497).toFixed(4));
    expect(ratio.ContentSequence.map(meaning)).toEqual(["Algorithm Name", "Algorithm Version"]);
    const notes = items.slice(1).map((i) => i.TextValue);
    expect(notes).toContain(AP_NOTE);
    expect(notes.some((n) => /measured by software/.test(String(n)))).toBe(true);
    expect(notes.some((n) => /UNTRAINED/.test(String(n)))).toBe(true);
    const uncalibrated = readMeasurementGroups(report(softwareCtrGroups(content("AP", false), source)));
    expect(uncalibrated.map((g) => g.values[0].unit)).toEqual(["{pixels}", "{pixels}"]);
    expect(softwareCtrGroups(content("LL", true), source)).toEqual([]);
    expect(softwareCtrSummary(content("LL", true))).toEqual([]);
    expect(softwareCtrSummary(content("PA", true)).map((i) => i.TextValue)).not.toContain(AP_NOTE);
  });
});
