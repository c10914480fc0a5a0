import { defineRoute } from "@/lib/api/route";
import { uuidParam } from "@/lib/core/uuid-param";
import { ADMIN_ROLES } from "@/lib/core/roles";
import { invitationLinker } from "@/lib/users/route-support";
import { ResetPasswordInput } from "@/lib/users/input";
import { resetPassword } from "@/lib/users/service";

/** Ends the account's sessions and issues a new one-time password or invitation link (shown once). */
export const POST = defineRoute({ auth: "session", roles: ADMIN_ROLES, body: ResetPasswordInput }, async ({ body, params, principal, req }) => {
  const withLink = invitationLinker(req, body.method);
  const { user, credential } = await resetPassword({ actor: principal, headers: req.headers, userId: uuidParam(params, "user"), method: body.method });
  return Response.json({ user, credential: withLink(credential) }, { headers: { "cache-control": "no-store" } });
});
