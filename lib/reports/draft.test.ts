import { describe, expect, it } from "vitest";
import { buildReportDraft, REPORT_DISCLAIMER, type ReportDraftInput } from "./draft";

const input = (over: Partial<ReportDraftInput["review"]> = {}, trained: boolean | null = false): ReportDraftInput => ({
  study: { accessionNumber: "ACC-7", studyDate: "2024-01-31", viewPosition: "PA", modality: "DX", triageLevel: "critical" },
  model: { name: "densenet121-res224-all", version: "1", trained },
  findings: [
    { label: "Pneumothorax", calibrated: 0.71, positive: true },
    { label: "Effusion", calibrated: 0.93, positive: true },
    { label: "Pleural_Thickening", calibrated: 0.2, positive: false },
    { label: "Mass", calibrated: 0.1, positive: false },
  ],
  review: {
    version: 1,
    decisions: { Pneumothorax: "agree", Effusion: "disagree", Pleural_Thickening: "disagree", Mass: "agree" },
    addedFindings: ["Pleural_Thickening", "Rib fracture"],
    impression: "Right apical pneumothorax.",
    signedOffAt: "2025-03-04T10:20:30Z",
    reviewerName: "Dr A",
    amendmentReason: null,
    overallResult: "abnormal",
    ...over,
  },
});

describe("report draft", () => {
  it("lists confirmed, added and overruled findings, the impression, reviewer, model and disclaimer", () => {
    const text = buildReportDraft(input());
    expect(text.split("\n")).toEqual([
      "CHEST RADIOGRAPH REPORT",
      "Accession: ACC-7   Study date: 2024-01-31   View: PA   Modality: DX",
      "AI triage: Critical",
      "",
      "OVERALL RESULT: ABNORMAL",
      "",
      "FINDINGS",
      "- Pneumothorax: present (AI 0.71, confirmed).",
      "- Pleural Thickening: present (not called by AI, 0.20; added by radiologist).",
      "- Rib fracture: present (added by radiologist).",
      "AI findings not confirmed by the radiologist:",
      "- Effusion: not confirmed (AI 0.93, overruled).",
      "1 further finding scored negative by the AI, confirmed negative.",
      "",
      "IMPRESSION",
      "Right apical pneumothorax.",
      "",
      "Signed off by Dr A on 2025-03-04 10:20 UTC (review version 1).",
      "AI model: densenet121-res224-all 1 — UNTRAINED DEMONSTRATION MODEL: its scores carry no medical meaning.",
      REPORT_DISCLAIMER,
    ]);
  });

  it("names the amendment and omits the untrained notice for a trained model", () => {
    const text = buildReportDraft(input({ version: 3, amendmentReason: "Typo" }, true));
    expect(text).toContain("(review version 3, amended: Typo).");
    expect(text).toContain("AI model: densenet121-res224-all 1.");
    expect(text).not.toContain("UNTRAINED");
  });

  it("lists the measurements, in mm with the film's spacing and marked uncalibrated without", () => {
    const ctr = { kind: "ctr" as const, cardiac: [{ x: 0, y: 0 }, { x: 150, y: 0 }] as [{ x: number; y: number }, { x: number; y: number }], thoracic: [{ x: 0, y: 10 }, { x: 300, y: 10 }] as [{ x: number; y: number }, { x: number; y: number }] };
    const calibrated = buildReportDraft({ ...input({ measurements: [ctr] }), study: { ...input().study, pixelSpacing: [0.2, 0.2] } });
    expect(calibrated).toContain("MEASUREMENTS\n- Cardiothoracic ratio 0.50 (cardiac 30.0 mm, thoracic 60.0 mm).");
    expect(buildReportDraft(input({ measurements: [{ kind: "distance", line: [{ x: 0, y: 0 }, { x: 3, y: 4 }] }] }))).toContain("- Distance 5 px (uncalibrated).");
    expect(buildReportDraft(input())).not.toContain("MEASUREMENTS");
  });
});

