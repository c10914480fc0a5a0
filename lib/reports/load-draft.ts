import "server-only";
import { buildReportDraft } from "./draft";
import { loadReportData } from "./report-data";

/**
 * The report text of an analysis' current signed-off review, or null when nothing is signed off yet.
 * Read through the same report model as the PDF and the patient page, so all three say the same thing.
 */
export async function loadReportDraft(analysisId: string): Promise<string | null> {
  const report = await loadReportData(analysisId);
  if (!report) return null;
  const { analysis: a, review } = report;
  return buildReportDraft({
    study: {
      accessionNumber: a.accessionNumber,
      studyDate: a.studyDate,
      viewPosition: a.viewPosition,
      modality: a.modality,
      triageLevel: a.triageLevel,
      pixelSpacing: a.pixelSpacing,
      nonFrontal: a.warnings.some((w) => w.code === "non_frontal_view"),
    },
    model: a.model,
    findings: report.findings,
    review: { ...review, reviewerName: review.reviewer.name || review.reviewer.email },
    anatomy: report.anatomy,
  });
}
