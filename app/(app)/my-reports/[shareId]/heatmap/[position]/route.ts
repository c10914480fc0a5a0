import { defineRoute } from "@/lib/api/route";
import { heatmapResponse, requireReport } from "@/lib/reports/report-media";
import { requireRecipientShare } from "@/lib/shares/recipient";
import { PATIENT_ROLES } from "@/lib/core/roles";

export const GET = defineRoute({ auth: "session", roles: PATIENT_ROLES }, async ({ principal, params }) => {
  const share = await requireRecipientShare(principal, params.shareId ?? "");
  return heatmapResponse(await requireReport(share.analysisId), params.position ?? "");
});
