import { defineRoute } from "@/lib/api/route";
import { buildOpenApiDocument } from "@/lib/api/v1/openapi";

// Public: the contract holds no secrets, and API clients and code generators fetch it unauthenticated.
export const GET = defineRoute({ auth: "public", rateLimited: true }, () =>
  Response.json(buildOpenApiDocument(), { headers: { "cache-control": "public, max-age=300" } }),
);
