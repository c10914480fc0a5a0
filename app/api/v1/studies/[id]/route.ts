import { defineRoute } from "@/lib/api/route";
import { v1Operations } from "@/lib/api/v1/operations";
import { getV1Study } from "@/lib/api/v1/queries";
import { uuidParam } from "@/lib/core/uuid-param";
import { v1Auth, v1Json } from "@/lib/api/v1/route-support";
import { Study } from "@/lib/api/v1/schemas";
import { recordAudit } from "@/lib/audit/record";

export const GET = defineRoute(v1Auth(v1Operations.getStudy), async ({ params, principal, req }) => {
  const study = await getV1Study(principal, uuidParam(params, "study"));
  await recordAudit({
    actor: principal,
    action: "study.view",
    targetType: "study",
    targetId: study.id,
    details: { via: "api", analyses: study.analyses.map((a) => a.id) },
    headers: req.headers,
  });
  return v1Json(Study, study);
});
