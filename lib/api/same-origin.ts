import { env } from "@/lib/env";
import { AppError } from "@/lib/core/errors";

// Cross-site request forgery: a page on another origin (another port of the same host included) can
// make a signed-in browser send a form or a "simple" fetch here with the person's cookies. Browsers
// name the page that started every state-changing request in `Origin` (and, newer ones, say in
// `Sec-Fetch-Site` how it relates to the target), so such requests are refused unless they come from
// this app's own pages. API-key clients are not browsers and carry no ambient credentials.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * Whether `origin` is this app: PUBLIC_URL's origin when set (behind a reverse proxy the Host header
 * the app sees may be the proxy's upstream name), else any scheme on the Host of the request itself.
 */
function isOwnOrigin(origin: string, headers: Headers): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (env.PUBLIC_URL) return parsed.origin === new URL(env.PUBLIC_URL).origin;
  const host = headers.get("host")?.trim().toLowerCase();
  return Boolean(host) && parsed.host === host;
}

/**
 * Throws 403 unless the browser says the request came from one of this app's own pages: its Origin is
 * this app, or (when the Origin is withheld or "null", as a same-origin request under a no-referrer
 * policy sends it) Sec-Fetch-Site says same-origin.
 */
export function assertSameOrigin(headers: Headers): void {
  const origin = headers.get("origin");
  if (origin !== null && origin !== "null") {
    if (isOwnOrigin(origin, headers)) return;
  } else if (headers.get("sec-fetch-site") === "same-origin") {
    return;
  }
  throw new AppError(
    "forbidden",
    "This request did not come from this app's own pages, so it was refused. Scripts and other systems use an API key.",
    { subcode: "cross_origin_request" },
  );
}
