import { describe, expect, it } from "vitest";
import { fixtureSummary } from "@/test/support/anatomy/fixture-summary";
import { zooPresent } from "@/test/support/zoo-models";
import { AP_NOTE } from "@/lib/anatomy/run-models";
import { buildReportDraft, type ReportDraftInput } from "./draft";

// The dx-12bit fixture's reference masks on a 512 x 430 film at 0.2 mm: cardiac 387 and thoracic 497
// model pixels, i.e. 387 * 430/512 * 0.2 = 65.0 mm and 497 * 430/512 * 0.2 = 83.5 mm, ratio 0.78.
const FILM = { width: 512, height: 430, pixelSpacingMm: [0.2, 0.2] as const };
const cam = { data: new Array(2 * 49).fill(0), shape: [2, 7, 7] as const };
cam.data[5 * 7 + 1] = 9;
cam.data[49 + 3] = 9;

const input = (anatomy: ReportDraftInput["anatomy"], viewPosition = "PA", nonFrontal = false): ReportDraftInput => ({
  study: { accessionNumber: "ACC-7", studyDate: "2024-01-31", viewPosition, modality: "DX", triageLevel: "critical", nonFrontal },
  model: { name: "densenet121-res224-all", version: "1", trained: true },
  findings: [
    { label: "Effusion", calibrated: 0.93, positive: true },
    { label: "Nodule", calibrated: 0.71, positive: true },
    { label: "Mass", calibrated: 0.1, positive: false },
  ],
  review: {
    version: 1,
    decisions: { Effusion: "agree", Nodule: "disagree", Mass: "agree" },
    addedFindings: [],
    impression: "Effusion.",
    signedOffAt: "2025-03-04T10:20:30Z",
    reviewerName: "Dr A",
    amendmentReason: null,
    overallResult: "abnormal",
  },
  anatomy,
});

describe.skipIf(!zooPresent)("report draft: software measurements", () => {
  it("states the ratio with both widths, measured by software, the untrained model, and each finding's lung zone", () => {
    const { summary } = fixtureSummary("dx-12bit-explicit-le.dcm", { film: FILM, projection: "PA", zonesFrom: { cam, classes: { Effusion: 0, Nodule: 1 } } });
    const lines = buildReportDraft(input(summary)).split("\n");
    const at = lines.indexOf("SOFTWARE MEASUREMENTS (AI, not drawn by the radiologist)");
    expect(at).toBeGreaterThan(lines.indexOf("FINDINGS"));
    expect(at).toBeLessThan(lines.indexOf("IMPRESSION"));
    expect(lines[at + 1]).toBe(
      "- Cardiothoracic ratio 0.78 (cardiac 65.0 mm, thoracic 83.5 mm), measured by software (chestx_det-pspnet fixture-seed1; " +
        "UNTRAINED DEMONSTRATION MODEL: this measurement carries no medical meaning).",
    );
    expect(lines[at + 2]).toBe("AI finding locations (heatmap peak):");
    const zone = (l: string) => summary.findingZones![l] ?? "outside the lung outlines";
    expect(lines[at + 3]).toBe(`- Effusion: ${zone("Effusion")}.`);
    expect(lines[at + 4]).toBe(`- Nodule: ${zone("Nodule")} (finding not confirmed by the radiologist).`);
    expect(lines.slice(at + 3, at + 5).join(" ")).toMatch(/(right|left) (upper|middle|lower) zone/);
    expect(lines.join("\n")).not.toContain(AP_NOTE);
  });

  it("adds the AP note on an AP film, and leaves the section out for a lateral or without anatomy", () => {
    const { summary } = fixtureSummary("dx-12bit-explicit-le.dcm", { film: FILM, projection: "AP", trained: true });
    const ap = buildReportDraft(input(summary, "AP"));
    expect(ap).toContain("- Cardiothoracic ratio 0.78 (cardiac 65.0 mm, thoracic 83.5 mm), measured by software (chestx_det-pspnet fixture-seed1).");
    expect(ap).toContain(`  ${AP_NOTE}`);
    expect(buildReportDraft(input({ ...summary, projection: null, apNote: null }, "LL"))).not.toContain("SOFTWARE MEASUREMENTS");
    expect(buildReportDraft(input(summary, "AP", true))).not.toContain("SOFTWARE MEASUREMENTS");
    expect(buildReportDraft(input(null))).not.toContain("SOFTWARE MEASUREMENTS");
  });
});
