import { NextResponse, type NextRequest } from "next/server";
import { REQUEST_PATH_HEADER } from "@/lib/auth/return-path";

// Hands each page its own path, which server components cannot otherwise see, so that a guard sending
// someone to sign in (or to replace a one-time password) can bring them back to it afterwards. Any
// value a client sends in this header is overwritten here. Authorization stays in the pages and routes.
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(REQUEST_PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Pages only: API routes, patients' share links and static assets do not need it.
  matcher: ["/((?!api/|share/|_next/|favicon.ico|screenshot.png).*)"],
};
