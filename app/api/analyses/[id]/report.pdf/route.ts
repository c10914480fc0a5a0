import { defineRoute } from "@/lib/api/route";
import { recordAudit } from "@/lib/audit";
import { pdfResponse, requireReport } from "@/lib/reports/report-media";
import { analysisIdFrom, STAFF_ROLES } from "@/lib/shares/route-support";

/** The radiologists' PDF of a signed-off analysis. */
export const GET = defineRoute({ auth: "session", roles: STAFF_ROLES }, async ({ params, principal, req }) => {
  const report = await requireReport(analysisIdFrom(params));
  const response = await pdfResponse(report, "staff");
  await recordAudit({
    actor: principal,
    action: "report.export",
    targetType: "analysis",
    targetId: report.analysis.id,
    details: { format: "pdf", reviewVersion: report.review.version },
    headers: req.headers,
  });
  return response;
});
