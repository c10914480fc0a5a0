// next-auth v4 checks its callbackUrl (query parameter and callback-url cookie) before any callback of
// ours runs, and answers a value it cannot parse ("x", "\\host") with a 500 and a logged stack trace.
// proxy.ts hands next-auth only values the app's return-path check keeps: a bad query parameter is
// dropped by a redirect to the same URL without it, a bad cookie is left out of the request (and
// cleared in the browser). Good values pass untouched; the redirect callback checks them once more.
import { NextResponse, type NextRequest } from "next/server";
import { callbackDestination } from "./return-path";

const CALLBACK_COOKIES = ["next-auth.callback-url", "__Secure-next-auth.callback-url"];

/** A callbackUrl next-auth may see: one the redirect callback keeps, or the site itself. */
export function acceptableCallback(value: string, origin: string): boolean {
  if (value === "/" || value === origin || value === `${origin}/`) return true;
  return callbackDestination(value, origin) !== origin;
}

/**
 * The site as the browser addressed it (its Host header) and as Next.js names it (which may say
 * localhost for a server bound to 127.0.0.1): a callbackUrl on either is this site.
 */
function siteOrigins(request: NextRequest): string[] {
  const host = request.headers.get("host");
  return [request.nextUrl.origin, ...(host ? [`${request.nextUrl.protocol}//${host}`] : [])];
}

export function guardNextAuthInput(request: NextRequest): NextResponse {
  const origins = siteOrigins(request);
  const acceptable = (value: string) => origins.some((origin) => acceptableCallback(value, origin));
  const query = request.nextUrl.searchParams.get("callbackUrl");
  if (query !== null && !acceptable(query)) {
    const url = request.nextUrl.clone();
    url.searchParams.delete("callbackUrl");
    return NextResponse.redirect(url, 307);
  }
  const bad = CALLBACK_COOKIES.filter((name) => {
    const value = request.cookies.get(name)?.value;
    return value !== undefined && !acceptable(value);
  });
  if (bad.length === 0) return NextResponse.next();
  const headers = new Headers(request.headers);
  const kept = request.cookies.getAll().filter((c) => !bad.includes(c.name));
  if (kept.length) headers.set("cookie", kept.map((c) => `${c.name}=${encodeURIComponent(c.value)}`).join("; "));
  else headers.delete("cookie");
  const response = NextResponse.next({ request: { headers } });
  for (const name of bad) response.cookies.delete(name);
  return response;
}
