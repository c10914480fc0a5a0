import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { FindingsList } from "@/components/findings/findings-list";
import { PatientReport } from "@/components/share/patient-report";
import { NOT_ASSESSED } from "@/lib/core/finding-score";
import { buildFhirBundle } from "@/lib/fhir/bundle";
import { extractPdfText } from "@/test/support/pdf-text";
import { notAssessedReport, NOT_ASSESSED_LABELS } from "@/test/support/reports/sample-report";
import { buildReportDraft } from "./draft";
import { buildReportPdf } from "./pdf";
import { glossaryFor } from "./patient-strings";

// A finding the classifier gives no score for (the ResNet-50 release has no operating point for Lung
// Lesion and Enlarged Cardiomediastinum) must read "not assessed" in every output, never 0.50.

const flat = (s: string) => s.replace(/\s+/g, " ");
const labelText = (l: string) => l.replaceAll("_", " ");

describe("findings not assessed by the model", () => {
  it("the staff PDF writes 'not assessed' in their rows, and no score", async () => {
    const report = notAssessedReport();
    const text = flat(await extractPdfText(await buildReportPdf(report, { base: null, heatmaps: [] }, { audience: "staff" })));
    for (const label of NOT_ASSESSED_LABELS) {
      expect(text).toMatch(new RegExp(`${label} ${NOT_ASSESSED} Not assessed`));
    }
    // Every scored finding still has its two-decimal score.
    const scored = report.findings.find((f) => f.calibrated !== null && !f.positive)!;
    expect(text).toContain(`${labelText(scored.label)} ${scored.calibrated!.toFixed(2)} Negative`);
  });

  it("the patient PDF and the patient page say so in plain words, neither likely nor unlikely", async () => {
    const report = notAssessedReport();
    const text = flat(await extractPdfText(await buildReportPdf(report, { base: null, heatmaps: [] }, { audience: "patient" })));
    expect(text).toContain("Not assessed by this model");
    const html = renderToStaticMarkup(createElement(PatientReport, { report, links: { image: null, heatmap: () => "", pdf: "/x.pdf" }, expiresAt: null }));
    const section = /data-testid="not-assessed-findings"[^>]*>(.*?)<\/p>/.exec(html)?.[1] ?? "";
    expect(section).toContain("Not assessed by this AI model");
    for (const label of NOT_ASSESSED_LABELS) {
      expect(section).toContain(glossaryFor(label).plain);
      expect(html).not.toMatch(new RegExp(`data-label="${label}"`));
    }
    // The unlikely list counts the scored negative findings only.
    const negatives = report.findings.filter((f) => f.calibrated !== null && !f.positive).length;
    expect(html).toContain(`Scored as unlikely by the AI (${negatives})`);
  });

  it("the report draft gives no percentage for one the radiologist added", () => {
    const report = notAssessedReport();
    const draft = buildReportDraft({
      study: { accessionNumber: null, studyDate: null, viewPosition: "PA" } as never,
      model: report.analysis.model,
      findings: report.findings,
      review: { ...report.review, addedFindings: ["Lung Lesion"], decisions: {}, reviewerName: "Dr. Ada Reader" } as never,
    });
    expect(draft).toContain(`Lung Lesion: present (not called by AI, ${NOT_ASSESSED}; added by radiologist).`);
    expect(draft).not.toMatch(/Lung Lesion[^\n]*50%/);
  });

  it("FHIR gives the Observation a data-absent reason and no value, interpretation or probability", () => {
    const bundle = buildFhirBundle(notAssessedReport());
    const observations = (bundle.entry as { resource: Record<string, unknown> }[]).map((e) => e.resource).filter((r) => r.resourceType === "Observation");
    for (const label of NOT_ASSESSED_LABELS) {
      const o = observations.find((x) => (x.code as { text: string }).text === label)!;
      expect(o, label).toBeDefined();
      expect(o.valueQuantity).toBeUndefined();
      expect(o.interpretation).toBeUndefined();
      expect(o.component).toBeUndefined();
      expect(o.dataAbsentReason).toMatchObject({ coding: [{ code: "not-performed" }], text: NOT_ASSESSED });
    }
    // The model's own Observations (a measured ratio has a value but no AI call).
    const scored = observations.filter((o) => o.interpretation);
    expect(scored).toHaveLength(18 - NOT_ASSESSED_LABELS.length);
  });
});

describe("the result page's findings list", () => {
  it("writes 'not assessed by this model' in place of a bar and a score, after the scored findings", () => {
    const rows = notAssessedReport().findings.map((f) => ({ ...f, analysisId: "a", logit: 0 }));
    const html = renderToStaticMarkup(createElement(FindingsList, { findings: rows, trained: false }));
    const order = [...html.matchAll(/data-label="([^"]+)"/g)].map((m) => m[1]);
    expect(order.slice(-2).sort()).toEqual([...NOT_ASSESSED_LABELS].sort());
    for (const label of NOT_ASSESSED_LABELS) {
      const row = new RegExp(`data-label="${label}"[^>]*data-assessed="false"[^>]*>.*?${NOT_ASSESSED}`).exec(html);
      expect(row, label).not.toBeNull();
    }
    expect(html).not.toMatch(/data-calibrated="0.5"/);
  });
});
