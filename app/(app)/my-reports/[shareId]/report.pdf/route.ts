import { defineRoute } from "@/lib/api/route";
import { recordAudit } from "@/lib/audit";
import { pdfResponse, requireReport } from "@/lib/reports/report-media";
import { requireRecipientShare } from "@/lib/shares/recipient";

export const GET = defineRoute({ auth: "session", roles: ["patient"] }, async ({ principal, params, req }) => {
  const share = await requireRecipientShare(principal, params.shareId ?? "");
  const response = await pdfResponse(await requireReport(share.analysisId), "patient");
  await recordAudit({
    actor: principal,
    action: "share.view",
    targetType: "share",
    targetId: share.id,
    details: { analysisId: share.analysisId, format: "pdf", via: "account" },
    headers: req.headers,
  });
  return response;
});
