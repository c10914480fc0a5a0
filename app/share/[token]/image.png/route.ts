import { defineRoute } from "@/lib/api/route";
import { plainImageResponse, requireReport } from "@/lib/reports/report-media";
import { shareFromRequest } from "@/lib/shares/route-support";

/** The film of a shared report (the page's view is what gets audited). */
export const GET = defineRoute({ auth: "public", rateLimited: true }, async ({ req, params }) => {
  const share = await shareFromRequest(req, params);
  return plainImageResponse(await requireReport(share.analysisId));
});
