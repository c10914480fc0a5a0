import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { FindingsList } from "@/components/findings/findings-list";
import { PatientReport } from "@/components/share/patient-report";
import { NOT_ASSESSED } from "@/lib/core/finding-score";
import { glossaryFor } from "@/lib/reports/patient-strings";
import { notAssessedReport, NOT_ASSESSED_LABELS } from "@/test/support/reports/sample-report";

// The result page's findings list and the patient's shared report, rendered as the pages render them: a
// finding the classifier gave no score for reads "not assessed", never 0.50, likely or unlikely.

describe("the patient's report page", () => {
  it("lists findings not assessed by the model apart, neither likely nor unlikely", () => {
    const report = notAssessedReport();
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
