import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { recordAudit } from "@/lib/audit/record";
import type { Share } from "@/lib/db/schema";
import { hasDisplayImage } from "@/lib/reports/display-image";
import { pdfResponse, requireReport } from "@/lib/reports/report-media";
import { forPatients, type ReportData } from "@/lib/reports/report-data";

// A patient opening a shared report, by link (no account) or from their account: the same report, the
// same audit record, so that "who saw what" reads alike whichever way the patient came in.

interface ViewArgs {
  share: Share;
  /** The signed-in patient, or null for someone holding the link. */
  viewer: Principal | null;
  headers: Headers;
}

function auditView({ share, viewer, headers }: ViewArgs, format: "page" | "pdf") {
  return recordAudit({
    actor: viewer,
    action: "share.view",
    targetType: "share",
    targetId: share.id,
    details: { analysisId: share.analysisId, format, ...(viewer ? { via: "account" } : {}) },
    headers,
  });
}

/** The signed-off report behind a share, recorded as viewed; AppError not_found when there is none. */
export async function openSharedReport(args: ViewArgs): Promise<ReportData> {
  const report = forPatients(await requireReport(args.share.analysisId));
  await auditView(args, "page");
  return report;
}

/** The patient's PDF of a share, recorded as viewed once it has been rendered. */
export async function sharedReportPdf(args: ViewArgs): Promise<Response> {
  const response = await pdfResponse(forPatients(await requireReport(args.share.analysisId)), "patient");
  await auditView(args, "pdf");
  return response;
}

/** Where the report's own film, heatmaps and PDF live under the path the patient opened it at. */
export async function sharedReportLinks(base: string, report: ReportData) {
  return {
    image: (await hasDisplayImage(report.analysis.imageSha256)) ? `${base}/image.png` : null,
    heatmap: (position: number) => `${base}/heatmap/${position}`,
    pdf: `${base}/report.pdf`,
  };
}
