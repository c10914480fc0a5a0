import { defineRoute } from "@/lib/api/route";
import { v1Operations } from "@/lib/api/v1/operations";
import { getV1Analysis } from "@/lib/api/v1/queries";
import { uuidParam } from "@/lib/core/uuid-param";
import { v1Auth, v1Json } from "@/lib/api/v1/route-support";
import { AnalysisDetail } from "@/lib/api/v1/schemas";
import { recordAudit } from "@/lib/audit/record";

export const GET = defineRoute(v1Auth(v1Operations.getAnalysis), async ({ params, principal, req }) => {
  const analysis = await getV1Analysis(principal, uuidParam(params, "analysis"));
  await recordAudit({ actor: principal, action: "analysis.view", targetType: "analysis", targetId: analysis.id, details: { via: "api" }, headers: req.headers });
  return v1Json(AnalysisDetail, analysis);
});
