import JSONSchemaValidator from "@asymmetrik/fhir-json-schema-validator";
import { describe, expect, it } from "vitest";
import { NOT_ASSESSED } from "@/lib/core/finding-score";
import { buildFhirBundle } from "@/lib/fhir/bundle";
import { extractPdfText } from "@/test/support/pdf-text";
import { notAssessedReport, NOT_ASSESSED_LABELS } from "@/test/support/reports/sample-report";
import { buildReportDraft } from "./draft";
import { buildReportPdf } from "./pdf";

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

  it("the patient PDF says so in plain words, neither likely nor unlikely", async () => {
    const report = notAssessedReport();
    const text = flat(await extractPdfText(await buildReportPdf(report, { base: null, heatmaps: [] }, { audience: "patient" })));
    expect(text).toContain("Not assessed by this model");
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
    // Still valid FHIR R4 (dataAbsentReason instead of a value).
    expect(new JSONSchemaValidator().validate(bundle)).toEqual([]);
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
