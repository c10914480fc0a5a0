import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import { countRateLimited } from "@/lib/metrics";
import { requestIp } from "./client-ip";
import { AppError } from "./errors";
import { TokenBucketLimiter } from "./token-bucket";

interface Limiters {
  perKey: TokenBucketLimiter;
  perIp: TokenBucketLimiter;
}

// One set per process, on globalThis so that dev-mode hot reloads do not reset everyone's budget.
const globalForLimits = globalThis as unknown as { cxrRateLimiters?: Limiters };

export function rateLimiters(): Limiters {
  globalForLimits.cxrRateLimiters ??= {
    perKey: new TokenBucketLimiter(env.RATE_LIMIT_PER_KEY),
    perIp: new TokenBucketLimiter(env.RATE_LIMIT_PER_IP),
  };
  return globalForLimits.cxrRateLimiters;
}

/**
 * Route `before` hook: every request counts against its client address, and an API-key request also
 * against its key (keys shared by many machines behind one address, and one key used from many
 * addresses, are both held in check). Refused with 429 and Retry-After.
 */
export function enforceRateLimit({ req, principal }: { req: Request; principal: Principal | null }): void {
  const { perKey, perIp } = rateLimiters();
  const ip = requestIp(req.headers);
  const byIp = perIp.take(ip);
  if (!byIp.allowed) {
    countRateLimited("ip");
    throw new AppError("rate_limited", `Too many requests from your address; retry in ${byIp.retryAfterSeconds} s.`, {
      retryAfterSeconds: byIp.retryAfterSeconds,
    });
  }
  if (principal?.kind !== "apiKey") return;
  const byKey = perKey.take(principal.keyId);
  if (!byKey.allowed) {
    perIp.refund(ip);
    countRateLimited("key");
    throw new AppError("rate_limited", `Too many requests with this API key; retry in ${byKey.retryAfterSeconds} s.`, {
      retryAfterSeconds: byKey.retryAfterSeconds,
    });
  }
}
