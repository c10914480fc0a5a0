import { defineRoute } from "@/lib/api/route";
import { revokeApiKey } from "@/lib/api-keys/service";
import { uuidParam } from "@/lib/api/uuid-param";
import { ADMIN_ROLES } from "@/lib/auth/roles";

/** Revokes the key (kept for the audit trail, never deleted). */
export const DELETE = defineRoute({ auth: "session", roles: ADMIN_ROLES }, async ({ params, principal, req }) => ({
  apiKey: await revokeApiKey({ actor: principal, headers: req.headers, id: uuidParam(params, "API key") }),
}));
