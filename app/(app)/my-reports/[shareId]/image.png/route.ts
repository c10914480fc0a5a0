import { defineRoute } from "@/lib/api/route";
import { plainImageResponse, requireReport } from "@/lib/reports/report-media";
import { requireRecipientShare } from "@/lib/shares/recipient";

export const GET = defineRoute({ auth: "session", roles: ["patient"] }, async ({ principal, params }) => {
  const share = await requireRecipientShare(principal, params.shareId ?? "");
  return plainImageResponse(await requireReport(share.analysisId));
});
