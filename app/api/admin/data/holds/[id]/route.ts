import { defineRoute } from "@/lib/api/route";
import { uuidParam } from "@/lib/core/uuid-param";
import { ADMIN_ROLES } from "@/lib/core/roles";
import { releaseHold } from "@/lib/lifecycle/holds";

export const DELETE = defineRoute({ auth: "session", roles: ADMIN_ROLES }, async ({ params, principal, req }) => {
  await releaseHold(principal, uuidParam(params, "legal hold"), req.headers);
  return new Response(null, { status: 204 });
});
