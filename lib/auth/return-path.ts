// Where to send someone after they sign in or replace a one-time password: the page they asked for.
// The path travels in a `next` query parameter, so it is checked before anything redirects to it.

/** Request header, set by proxy.ts, carrying the path (and query) of the page being rendered. */
export const REQUEST_PATH_HEADER = "x-cxr-request-path";

const NOT_A_DESTINATION = /^\/(sign-in|account\/password|api\/)/;

/**
 * `value` if it is a path on this site worth returning to, else null: it must start with a single "/"
 * (not "//host" or "/\host", which browsers read as another site), hold no control characters, and
 * not lead back to the sign-in or password pages.
 */
export function safeReturnPath(value: string | null | undefined): string | null {
  if (!value || value.length > 1000 || !value.startsWith("/") || value === "/") return null;
  if (value.startsWith("//") || value.startsWith("/\\")) return null;
  if (/[\u0000-\u001f\u007f]/.test(value)) return null;
  // Resolved as a browser would, then written back in its percent-encoded form: a Location header
  // holds ASCII only (a raw "/。/x" made the redirect itself fail), and the result must stay on this site.
  const base = "http://this.site";
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return null;
  }
  if (url.origin !== base) return null;
  const path = url.pathname + url.search;
  if (path === "/" || NOT_A_DESTINATION.test(path)) return null;
  return path;
}

/** `base` with `?next=<path>` when the path is worth returning to. */
export function withReturnPath(base: string, path: string | null | undefined): string {
  const next = safeReturnPath(path);
  return next ? `${base}?next=${encodeURIComponent(next)}` : base;
}
