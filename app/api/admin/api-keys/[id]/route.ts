import { defineRoute } from "@/lib/api/route";
import { UpdateApiKeyInput } from "@/lib/api-keys/input";
import { revokeApiKey, setApiKeyRateLimit } from "@/lib/api-keys/service";
import { uuidParam } from "@/lib/core/uuid-param";
import { ADMIN_ROLES } from "@/lib/core/roles";

/** Revokes the key (kept for the audit trail, never deleted). */
export const DELETE = defineRoute({ auth: "session", roles: ADMIN_ROLES }, async ({ params, principal, req }) => ({
  apiKey: await revokeApiKey({ actor: principal, headers: req.headers, id: uuidParam(params, "API key") }),
}));

/** Sets the key's own rate limit: `{ "rateLimitPerMinute": 600 }`, `0` for none, `null` for the server's default. */
export const PATCH = defineRoute({ auth: "session", roles: ADMIN_ROLES, body: UpdateApiKeyInput }, async ({ body, params, principal, req }) => ({
  apiKey: await setApiKeyRateLimit({ actor: principal, headers: req.headers, id: uuidParam(params, "API key"), input: body }),
}));
