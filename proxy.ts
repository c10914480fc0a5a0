import { NextResponse, type NextRequest } from "next/server";
import { guardNextAuthInput } from "@/lib/auth/next-auth-input";
import { REQUEST_PATH_HEADER } from "@/lib/auth/return-path";
import { env } from "@/lib/env";
import { newNonce, pagePolicy } from "@/lib/security/csp";

// Every page gets its own script nonce (lib/security/csp.ts): the policy goes on the request, where
// Next.js reads the nonce for its scripts, and on the response, where the browser enforces it.
// Signed-in pages also get their own path, which server components cannot otherwise see, so that a
// guard sending someone to sign in (or to replace a one-time password) can bring them back to it; any
// value a client sends in that header is overwritten. Patients' share pages are left out of that: their
// token stays out of everything but the route itself. Authorization stays in the pages and routes.
export function proxy(request: NextRequest) {
  // next-auth's own routes: only its callbackUrl is looked at (lib/auth/next-auth-input.ts).
  if (request.nextUrl.pathname.startsWith("/api/auth/")) return guardNextAuthInput(request);
  const policy = pagePolicy(newNonce(), { development: env.NODE_ENV === "development" });
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  if (request.nextUrl.pathname.startsWith("/share/")) headers.delete(REQUEST_PATH_HEADER);
  else headers.set(REQUEST_PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  // Pages (share pages included); API routes and build assets have their own policy (next.config.ts).
  // next-auth's routes, for their callbackUrl only.
  matcher: ["/((?!api/|_next/|favicon.ico|screenshot.png).*)", "/api/auth/:path*"],
};
