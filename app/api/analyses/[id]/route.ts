import { getAnalysisDetail } from "@/lib/analyses/queries";
import { recordAudit } from "@/lib/audit/record";
import { defineRoute } from "@/lib/api/route";
import { STAFF_ROLES } from "@/lib/core/roles";

export const GET = defineRoute({ auth: "session", roles: STAFF_ROLES }, async ({ req, principal, params }) => {
  const detail = await getAnalysisDetail(principal, params.id);
  await recordAudit({ actor: principal, action: "analysis.view", targetType: "analysis", targetId: params.id, headers: req.headers });
  return detail;
});
