// Where to send someone after they sign in or replace a one-time password: the page they asked for.
// The path travels in a `next` query parameter (and in next-auth's callbackUrl), so it is checked here,
// in one place, before anything redirects to it.

/** Request header, set by proxy.ts, carrying the path (and query) of the page being rendered. */
export const REQUEST_PATH_HEADER = "x-cxr-request-path";

const NOT_A_DESTINATION = /^\/(sign-in|account\/password|api\/)/;
const BASE = "http://this.site";
const SIGN_IN = "/sign-in";

/**
 * `value` if it is a path on this site worth returning to, else null. Judged on what a browser makes of
 * it: resolved (dot segments, "%2e" dots and backslashes included) and written back in its
 * percent-encoded form (a Location header holds ASCII only). The result must be a path of this site
 * that a browser cannot read as another site ("//host", "/\host", however it was spelled before
 * resolving: "/.//host", "/..//host", "/%2e%2e//host"), hold no control characters, and not lead back
 * to the sign-in or password pages.
 */
export function safeReturnPath(value: string | null | undefined): string | null {
  if (!value || value.length > 1000 || !value.startsWith("/") || value === "/") return null;
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return null;
  const path = resolved(value);
  if (!path || path === "/" || NOT_A_DESTINATION.test(path)) return null;
  // Resolving once more must change nothing: what is redirected to is exactly what was checked.
  return resolved(path) === path ? path : null;
}

/** The path (and query) of `value` resolved on this site, or null when it leaves it or cannot be read. */
function resolved(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  const path = url.pathname + url.search;
  if (path.startsWith("//") || path.startsWith("/\\") || /%2e|%5c/i.test(url.pathname)) return null;
  return path;
}

/** `base` with `?next=<path>` when the path is worth returning to. */
export function withReturnPath(base: string, path: string | null | undefined): string {
  const next = safeReturnPath(path);
  return next ? `${base}?next=${encodeURIComponent(next)}` : base;
}

/**
 * next-auth's `redirect` callback: its callbackUrl (query, form field or the callback-url cookie) may be
 * anything a client sent. A path of this site, or an absolute URL of this site, that passes
 * safeReturnPath is kept; anything else, malformed included, means the home page. Never throws (the
 * default callback's `new URL("x")` answered 500).
 */
export function callbackDestination(url: string, baseUrl: string): string {
  let origin: string;
  try {
    origin = new URL(baseUrl).origin;
  } catch {
    return "/";
  }
  // Signing out ends on the sign-in page, a destination `next` never has.
  if (url === SIGN_IN || url === `${origin}${SIGN_IN}`) return `${origin}${SIGN_IN}`;
  let path: string | null = null;
  if (typeof url === "string" && url.startsWith("/")) path = safeReturnPath(url);
  else if (typeof url === "string" && /^https?:\/\//i.test(url)) {
    try {
      const parsed = new URL(url);
      if (parsed.origin === origin) path = safeReturnPath(parsed.pathname + parsed.search);
    } catch {
      path = null;
    }
  }
  return path ? `${origin}${path}` : origin;
}
