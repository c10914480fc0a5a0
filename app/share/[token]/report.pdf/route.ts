import { defineRoute } from "@/lib/api/route";
import { enforceRateLimit } from "@/lib/api/rate-limit";
import { recordAudit } from "@/lib/audit";
import { pdfResponse, requireReport } from "@/lib/reports/report-media";
import { shareFromRequest } from "@/lib/shares/route-support";

/** The patient's PDF behind a valid (and, if protected, unlocked) link. Audited as a view. */
export const GET = defineRoute({ auth: "public", before: enforceRateLimit }, async ({ req, params }) => {
  const share = await shareFromRequest(req, params);
  const response = await pdfResponse(await requireReport(share.analysisId), "patient");
  await recordAudit({
    actor: null,
    action: "share.view",
    targetType: "share",
    targetId: share.id,
    details: { analysisId: share.analysisId, format: "pdf" },
    headers: req.headers,
  });
  return response;
});
