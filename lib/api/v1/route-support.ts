import "server-only";
import { z } from "zod";
import { STAFF_ROLES } from "@/lib/auth/roles";
import type { V1Operation } from "./operations";

/** defineRoute settings every v1 operation shares: API key only, staff owners, the operation's scopes, rate limits. */
export function v1Auth(op: Pick<V1Operation, "scopes">) {
  return { auth: "apiKey" as const, roles: STAFF_ROLES, scopes: op.scopes, rateLimited: true };
}

/**
 * Answers through the contract's schema: what leaves the handler is exactly what the OpenAPI document
 * describes (unknown fields are dropped, a missing one is a bug that shows up in tests, not in clients).
 */
export function v1Json<T extends z.ZodType>(schema: T, data: z.input<T>, status = 200): Response {
  return Response.json(schema.parse(data), { status, headers: { "cache-control": "no-store" } });
}
