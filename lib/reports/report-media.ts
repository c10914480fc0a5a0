import "server-only";
import { AppError } from "@/lib/core/errors";
import type { Principal } from "@/lib/auth/principal";
import { recordAudit } from "@/lib/audit/record";
import { loadDisplayImage } from "./display-image";
import { renderHeatmapOverlay, renderPlainImage, renderPositiveHeatmaps } from "./heatmap-render";
import { buildReportPdf } from "./pdf";
import { camFor, camSide, loadReportData, type ReportData } from "./report-data";

// The bytes behind a report: the film, the heatmap of a positive finding, the PDF. Shared by the
// patient link, the patient's account and the radiologists' download, which differ only in who may ask.

/** Responses carrying a patient's report: never cached by others, never indexed, no referrer sent on. */
export const PRIVATE_HEADERS: Record<string, string> = {
  "cache-control": "private, no-store",
  "referrer-policy": "no-referrer",
  "x-robots-tag": "noindex, nofollow",
  "x-content-type-options": "nosniff",
};

export async function requireReport(analysisId: string): Promise<ReportData> {
  const report = await loadReportData(analysisId);
  if (!report) throw new AppError("not_found", "No signed-off report exists for this analysis.");
  return report;
}

async function requireDisplay(report: ReportData): Promise<Buffer> {
  const display = await loadDisplayImage(report.analysis.imageSha256);
  if (!display) throw new AppError("not_found", "The image of this report is not available.");
  return display;
}

export async function plainImageResponse(report: ReportData): Promise<Response> {
  const body = await renderPlainImage(await requireDisplay(report), { maxSide: 1200 });
  return new Response(new Uint8Array(body), { headers: { ...PRIVATE_HEADERS, "content-type": "image/jpeg" } });
}

/** The heatmap of one positive finding, by its output position; anything else is a 404. */
export async function heatmapResponse(report: ReportData, positionText: string): Promise<Response> {
  const position = /^\d{1,3}$/.test(positionText) ? Number(positionText) : -1;
  const finding = report.findings.find((f) => f.position === position);
  const grid = finding?.positive ? camFor(report.cam, position) : null;
  if (!finding || !grid) throw new AppError("not_found", "No heatmap for that finding.");
  const body = await renderHeatmapOverlay(await requireDisplay(report), grid, camSide(report.cam), { maxSide: 1200 });
  return new Response(new Uint8Array(body), { headers: { ...PRIVATE_HEADERS, "content-type": "image/jpeg" } });
}

/** `now`: the "Generated" footer's time (by default the moment of writing). */
export async function reportPdf(report: ReportData, audience: "staff" | "patient", now?: Date): Promise<Buffer> {
  const display = await loadDisplayImage(report.analysis.imageSha256);
  const images = display
    ? { base: await renderPlainImage(display, { maxSide: 900 }), heatmaps: await renderPositiveHeatmaps(report, display, { maxSide: 700 }) }
    : { base: null, heatmaps: [] };
  return buildReportPdf(report, images, { audience, now });
}

export async function pdfResponse(report: ReportData, audience: "staff" | "patient"): Promise<Response> {
  const body = await reportPdf(report, audience);
  const day = report.review.signedOffAt.toISOString().slice(0, 10);
  return new Response(new Uint8Array(body), {
    headers: {
      ...PRIVATE_HEADERS,
      "content-type": "application/pdf",
      // A neutral name: nothing in it identifies the patient.
      "content-disposition": `attachment; filename="chest-xray-report-${day}.pdf"`,
    },
  });
}

/** Records that staff or an API key took a signed-off report out of the app (who saw what). */
export function auditReportExport(actor: Principal, report: ReportData, format: "pdf" | "fhir", headers: Headers): Promise<void> {
  return recordAudit({
    actor,
    action: "report.export",
    targetType: "analysis",
    targetId: report.analysis.id,
    details: { format, reviewVersion: report.review.version },
    headers,
  });
}
