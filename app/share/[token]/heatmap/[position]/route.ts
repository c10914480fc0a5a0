import { defineRoute } from "@/lib/api/route";
import { heatmapResponse, requireReport } from "@/lib/reports/report-media";
import { shareFromRequest } from "@/lib/shares/route-support";

/** The heatmap of one positive finding of a shared report. */
export const GET = defineRoute({ auth: "public", rateLimited: true }, async ({ req, params }) => {
  const share = await shareFromRequest(req, params);
  return heatmapResponse(await requireReport(share.analysisId), params.position ?? "");
});
