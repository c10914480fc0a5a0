import { defineRoute } from "@/lib/api/route";
import { auditReportExport, pdfResponse, requireReport } from "@/lib/reports/report-media";
import { STAFF_ROLES } from "@/lib/core/roles";
import { uuidParam } from "@/lib/core/uuid-param";

/** The radiologists' PDF of a signed-off analysis. */
export const GET = defineRoute({ auth: "session", roles: STAFF_ROLES }, async ({ params, principal, req }) => {
  const report = await requireReport(uuidParam(params, "analysis"));
  const response = await pdfResponse(report, "staff");
  await auditReportExport(principal, report, "pdf", req.headers);
  return response;
});
