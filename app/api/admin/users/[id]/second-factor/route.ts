import { defineRoute } from "@/lib/api/route";
import { uuidParam } from "@/lib/core/uuid-param";
import { resetSecondFactor } from "@/lib/sign-in/mfa/second-factor";
import { ADMIN_ROLES } from "@/lib/core/roles";

/** Removes a person's second factor (lost device): their sessions end; they set it up again at next sign-in. Audited. */
export const DELETE = defineRoute({ auth: "session", roles: ADMIN_ROLES }, async ({ params, principal, req }) => {
  await resetSecondFactor({ actor: principal, userId: uuidParam(params, "user"), headers: req.headers });
  return { reset: true };
});
