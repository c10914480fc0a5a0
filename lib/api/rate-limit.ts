import "server-only";
import { hashApiKey } from "@/lib/api-keys/keys";
import type { Principal } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import { countRateLimited } from "@/lib/metrics";
import { requestIp } from "@/lib/core/client-ip";
import { AppError } from "@/lib/core/errors";
import { OverLimitCache } from "./over-limit-cache";
import { takeFromBuckets, type BucketRequest, type BucketScope } from "./rate-buckets";

// Per-address and per-API-key request limits, shared by every instance through PostgreSQL
// (rate-buckets.ts). A refusal must cost next to nothing, because refusals come in floods: once a
// caller is refused, its next requests are refused from memory (over-limit-cache.ts) before
// authentication, before the body is read and without any database statement.

// One per process, on globalThis so that dev-mode hot reloads keep what they know.
const globalForLimits = globalThis as unknown as { cxrOverLimit?: OverLimitCache };
function overLimit(): OverLimitCache {
  globalForLimits.cxrOverLimit ??= new OverLimitCache();
  return globalForLimits.cxrOverLimit;
}

/** The presented bearer credential, hashed: a blocked key is recognised before it is looked up. */
function bearerId(req: Request): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "");
  return match ? `bearer:${hashApiKey(match[1])}` : null;
}

function refusal(scope: BucketScope, retryAfterMs: number): AppError {
  countRateLimited(scope);
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const who = scope === "ip" ? "from your address" : "with this API key";
  return new AppError("rate_limited", `Too many requests ${who}; retry in ${seconds} s.`, { retryAfterSeconds: seconds });
}

/** The limit of an API key: the one an admin set on it, else RATE_LIMIT_PER_KEY; 0 means none. */
export function keyLimitPerMinute(principal: Extract<Principal, { kind: "apiKey" }>): number {
  return principal.rateLimitPerMinute ?? env.RATE_LIMIT_PER_KEY;
}

/** Before authentication: refuses, from memory alone, a caller already known to be over its limit. */
export function refuseKnownOverLimit(req: Request, now = Date.now()): void {
  const cache = overLimit();
  const byIp = cache.remainingMs(`ip:${requestIp(req.headers)}`, now);
  if (byIp > 0) throw refusal("ip", byIp);
  const bearer = bearerId(req);
  const byKey = bearer ? cache.remainingMs(bearer, now) : 0;
  if (byKey > 0) throw refusal("key", byKey);
}

/**
 * After authentication: every request counts against its client address, and an API-key request also
 * against its key (many machines behind one address, and one key used from many addresses, are both
 * held in check). One upsert per allowed request; refused with 429 and Retry-After. `cost`: how many
 * requests this one counts as (a STOW-RS request counts its instances).
 */
export async function enforceRateLimit({ req, principal }: { req: Request; principal: Principal | null }, now = Date.now(), cost = 1): Promise<void> {
  refuseKnownOverLimit(req, now);
  const ip = requestIp(req.headers);
  const buckets: BucketRequest[] = [];
  if (env.RATE_LIMIT_PER_IP > 0) buckets.push({ scope: "ip", key: ip, perMinute: env.RATE_LIMIT_PER_IP });
  if (principal?.kind === "apiKey") {
    const perMinute = keyLimitPerMinute(principal);
    const known = overLimit().remainingMs(`key:${principal.keyId}`, now);
    if (known > 0) throw refusal("key", known);
    if (perMinute > 0) buckets.push({ scope: "key", key: principal.keyId, perMinute });
  }
  const tooBig = buckets.find((b) => cost > b.perMinute);
  if (tooBig) {
    countRateLimited(tooBig.scope);
    const who = tooBig.scope === "ip" ? "your address" : "this API key";
    throw new AppError("rate_limited", `This request counts as ${cost} requests; ${who} may send ${tooBig.perMinute} a minute. Send fewer per request.`, {
      retryAfterSeconds: 60,
      subcode: "request_over_limit",
    });
  }
  const refused = await takeFromBuckets(buckets, now, cost);
  if (!refused) return;
  const ids = refused.scope === "ip" ? [`ip:${ip}`] : [`key:${(principal as { keyId: string }).keyId}`, bearerId(req)].filter((x): x is string => !!x);
  overLimit().refuseUntil(ids, now + refused.retryAfterMs, now);
  throw refusal(refused.scope, refused.retryAfterMs);
}
