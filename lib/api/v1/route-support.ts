import "server-only";
import { z } from "zod";
import { STAFF_ROLES } from "@/lib/core/roles";
import type { V1Operation } from "./operations";

/** defineRoute settings every v1 operation shares: API key only, staff owners, the operation's scopes, rate limits. */
export function v1Auth(op: Pick<V1Operation, "scopes">) {
  return { auth: "apiKey" as const, roles: STAFF_ROLES, scopes: op.scopes, rateLimited: true };
}

/**
 * Below this size an answer goes out uncompressed: gzip of a one-analysis answer (about 4 KB) cost a
 * seventh of the web process's CPU under upload load (a compression stream set up per response) to
 * save a few kilobytes; long lists still compress.
 */
const COMPRESS_FROM_BYTES = 32 * 1024;

/**
 * Answers through the contract's schema: what leaves the handler is exactly what the OpenAPI document
 * describes (unknown fields are dropped, a missing one is a bug that shows up in tests, not in clients).
 */
export function v1Json<T extends z.ZodType>(schema: T, data: z.input<T>, status = 200): Response {
  const body = JSON.stringify(schema.parse(data));
  // `no-transform` is what tells Next.js's compression (and any proxy) to leave the body as it is.
  const cacheControl = body.length < COMPRESS_FROM_BYTES ? "no-store, no-transform" : "no-store";
  return new Response(body, { status, headers: { "content-type": "application/json", "cache-control": cacheControl } });
}
