// Security suite: where a sign-in sends people. `/sign-in?next=%2F.%2F%2Fevil.example%2Fx` (and `/..//`,
// `/%2e%2e//`) answered `307 Location: //evil.example/x`: the check looked at the path before resolving
// it, the browser after. And next-auth's callbackUrl `x` (query or cookie) made its default redirect
// callback throw: a 500 with a stack trace, before anyone signed in.
import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { guardNextAuthInput } from "@/lib/auth/next-auth-input";
import { callbackDestination, safeReturnPath } from "@/lib/auth/return-path";

const BASE = "https://cxr.example.org";

describe("security: return paths stay on this site", () => {
  it("refuses every spelling of another site that only shows after resolving", () => {
    for (const next of [
      "/.//evil.example/x",
      "/..//evil.example/x",
      "/%2e%2e//evil.example/x",
      "/%2E//evil.example/x",
      "/a/..//evil.example",
      "/.%2F/evil.example",
      "/\\evil.example",
      "/./\\evil.example",
      "/%5cevil.example",
      "//evil.example",
      "///evil.example",
    ]) {
      const path = safeReturnPath(next);
      expect(path === null || (path.startsWith("/") && !path.startsWith("//")), `${next} -> ${path}`).toBe(true);
      // And whatever is kept resolves on this site.
      if (path) expect(new URL(path, BASE).origin).toBe(BASE);
    }
    // The four paths of the penetration test are refused outright.
    for (const next of ["/.//evil.example/x", "/..//evil.example/x", "/%2e%2e//evil.example/x", "/\\evil.example"]) {
      expect(safeReturnPath(next), next).toBeNull();
    }
    expect(safeReturnPath("/analyses/1?tab=report")).toBe("/analyses/1?tab=report");
  });

  it("next-auth's redirect callback keeps only this site's paths and never throws on malformed values", () => {
    for (const url of ["x", "\\\\evil.example", "//evil.example", "/.//evil.example/x", "https://evil.example/", "javascript:alert(1)", "http://[::1", "", "%"]) {
      expect(callbackDestination(url, BASE), url).toBe(BASE);
    }
    expect(callbackDestination("/worklist", BASE)).toBe(`${BASE}/worklist`);
    expect(callbackDestination(`${BASE}/analyses/7?x=1`, BASE)).toBe(`${BASE}/analyses/7?x=1`);
    expect(callbackDestination(`${BASE}/sign-in?next=//evil.example`, BASE)).toBe(BASE);
    expect(callbackDestination("/sign-in", BASE)).toBe(`${BASE}/sign-in`);
  });

  it("next-auth never sees a callbackUrl it cannot parse: the proxy drops it from the query and the cookie", () => {
    const query = guardNextAuthInput(new NextRequest(`${BASE}/api/auth/signin?callbackUrl=x&error=y`));
    expect(query.status).toBe(307);
    expect(query.headers.get("location")).toBe(`${BASE}/api/auth/signin?error=y`);

    const cookie = guardNextAuthInput(
      new NextRequest(`${BASE}/api/auth/session`, { headers: { cookie: "next-auth.callback-url=%5C%5Cevil.example; next-auth.session-token=t" } }),
    );
    expect(cookie.status).toBe(200);
    expect(cookie.headers.get("set-cookie")).toMatch(/^next-auth\.callback-url=;/);
    // The request next-auth reads keeps the session and loses the bad value (Next.js request-header override).
    expect(cookie.headers.get("x-middleware-request-cookie")).toBe("next-auth.session-token=t");

    const good = guardNextAuthInput(new NextRequest(`${BASE}/api/auth/signin?callbackUrl=%2Fworklist`, { headers: { cookie: `next-auth.callback-url=${encodeURIComponent(BASE)}` } }));
    expect(good.status).toBe(200);
    expect(good.headers.get("set-cookie")).toBeNull();
  });
});
