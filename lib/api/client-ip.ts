import { env } from "@/lib/env";

/**
 * The address a request came from, as far as it can be trusted. Next.js sets X-Forwarded-For to the
 * socket's address only when the header is absent, and a proxy appends the address it saw, so the
 * trustworthy entry is counted from the right: the last one with no proxy, the last one a proxy added
 * with TRUSTED_PROXIES=1, one further left per extra proxy. Entries left of it are whatever the client
 * claimed and never decide a rate limit.
 */
export function requestIp(headers: Headers, trustedProxies = env.TRUSTED_PROXIES): string {
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (chain.length === 0) return headers.get("x-real-ip")?.trim() || "unknown";
  const index = Math.max(0, chain.length - Math.max(1, trustedProxies));
  return chain[index];
}
