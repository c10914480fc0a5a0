import { defineRoute } from "@/lib/api/route";
import { CreateApiKeyInput } from "@/lib/api-keys/input";
import { createApiKey, listApiKeys } from "@/lib/api-keys/service";
import { ADMIN_ROLES } from "@/lib/core/roles";

export const GET = defineRoute({ auth: "session", roles: ADMIN_ROLES }, async () => ({ apiKeys: await listApiKeys() }));

/** 201 with the key's secret: the only time it is ever shown. */
export const POST = defineRoute({ auth: "session", roles: ADMIN_ROLES, body: CreateApiKeyInput }, async ({ body, principal, req }) => {
  const created = await createApiKey({ actor: principal, headers: req.headers, input: body });
  return Response.json(created, { status: 201, headers: { "cache-control": "no-store" } });
});
