import { defineRoute } from "@/lib/api/route";
import { revokeApiKey } from "@/lib/api-keys/service";
import { ADMIN, userIdParam } from "@/lib/users/route-support";

/** Revokes the key (kept for the audit trail, never deleted). */
export const DELETE = defineRoute({ auth: "session", roles: ADMIN }, async ({ params, principal, req }) => ({
  apiKey: await revokeApiKey({ actor: principal, headers: req.headers, id: userIdParam(params, "API key") }),
}));
