import { getAnatomyView } from "@/lib/analyses/anatomy-view";
import { defineRoute } from "@/lib/api/route";
import { Anatomy, AnatomyQuery } from "@/lib/api/v1/anatomy-schema";
import { v1Operations } from "@/lib/api/v1/operations";
import { v1Auth, v1Json } from "@/lib/api/v1/route-support";
import { recordAudit } from "@/lib/audit/record";
import { uuidParam } from "@/lib/core/uuid-param";

export const GET = defineRoute({ ...v1Auth(v1Operations.getAnalysisAnatomy), query: AnatomyQuery }, async ({ params, principal, query, req }) => {
  const id = uuidParam(params, "analysis");
  const view = await getAnatomyView(principal, id, { masks: query.masks === "packed" });
  await recordAudit({ actor: principal, action: "analysis.view", targetType: "analysis", targetId: id, details: { via: "api", part: "anatomy" }, headers: req.headers });
  return v1Json(Anatomy, view);
});
