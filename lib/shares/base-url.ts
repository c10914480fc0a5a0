import { env } from "@/lib/env";

/**
 * The origin share links are built on: PUBLIC_URL when configured (the right answer behind a proxy),
 * else the origin the radiologist's own request came to, which is what they can reach and send on.
 */
export function publicBaseUrl(req: Request): string {
  if (env.PUBLIC_URL) return env.PUBLIC_URL;
  const url = new URL(req.url);
  if (env.TRUSTED_PROXIES > 0) {
    const host = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
    const proto = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
    if (host) return `${proto === "https" ? "https" : "http"}://${host}`;
  }
  const host = req.headers.get("host");
  return host ? `${url.protocol}//${host}` : url.origin;
}
