// Integration (real PostgreSQL): someone who signed in with a one-time password can only change it (or
// sign out). Pages send them to the password page; session API calls other than the change get 403;
// API keys are not held back.
import { vi } from "vitest";

// requireUser reads the session cookie through next/headers, which only exists inside a Next request:
// this stands in for the request's cookie jar (the principal behind it is resolved for real).
// The request's path comes as proxy.ts passes it on, in a header.
const jar = vi.hoisted(() => new Map<string, string>());
const request = vi.hoisted(() => ({ path: null as string | null }));
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined) }),
  headers: async () => new Headers(request.path ? { "x-cxr-request-path": request.path } : {}),
}));
// forbidden() refuses to run unless Next's experimental.authInterrupts (on in next.config.ts) is set.
vi.hoisted(() => {
  process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";
});

import { describe, expect, it } from "vitest";
import * as passwordRoute from "@/app/api/account/password/route";
import * as metricsRoute from "@/app/api/metrics/route";
import * as v1AnalysesRoute from "@/app/api/v1/analyses/route";
import * as worklistRoute from "@/app/api/worklist/route";
import type { Role } from "@/lib/core/roles";
import { call, createTestKey, createTestUser, refreshUser, sessionCookie } from "@/test/support/principals";
import { createUser } from "@/lib/users/service";
import { requireSignedIn, requireUser } from "@/lib/auth/guards";

/** An account made the way an admin makes one with a one-time password. */
async function oneTimePasswordUser(role: Role) {
  const admin = await createTestUser("admin");
  const email = `otp.${crypto.randomUUID()}@test.invalid`;
  const created = await createUser({ actor: admin.principal, input: { email, name: "", role, method: "one_time_password" } });
  const user = await refreshUser(created.user.id);
  expect(user.mustChangePassword).toBe(true);
  return { user, password: (created.credential as { password: string }).password, cookie: await sessionCookie(user) };
}

function signedInAs(cookie: string | null) {
  jar.clear();
  if (cookie) jar.set("next-auth.session-token", cookie.split("=")[1]);
}

/** Where a page guard sends the visitor: the redirect's target, "403", or "ok". */
async function outcome(guard: () => Promise<unknown>): Promise<string> {
  try {
    await guard();
    return "ok";
  } catch (error) {
    const digest = String((error as { digest?: unknown }).digest ?? "");
    if (digest.startsWith("NEXT_REDIRECT;")) return digest.split(";")[2];
    if (digest === "NEXT_HTTP_ERROR_FALLBACK;403") return "403";
    throw error;
  }
}

describe("forced password change", () => {
  it("sends every page to /account/password, role checks included, but lets the shell and that page through", async () => {
    const pending = await oneTimePasswordUser("patient");
    signedInAs(pending.cookie);
    expect(await outcome(() => requireUser())).toBe("/account/password");
    expect(await outcome(() => requireUser(["admin", "radiologist"]))).toBe("/account/password");
    expect(await requireSignedIn()).toMatchObject({ userId: pending.user.id, mustChangePassword: true });

    // Someone whose password is their own is not held back; roles still apply.
    const settled = await createTestUser("patient");
    signedInAs(settled.cookie);
    expect(await outcome(() => requireUser())).toBe("ok");
    expect(await outcome(() => requireUser(["patient"]))).toBe("ok");
    expect(await outcome(() => requireUser(["admin"]))).toBe("403");
    signedInAs(null);
    expect(await outcome(() => requireUser())).toBe("/sign-in");
    expect(await outcome(() => requireSignedIn())).toBe("/sign-in");
  });

  it("remembers the page asked for, so sign-in and the password change can lead back to it", async () => {
    request.path = "/analyses/0b7e?view=heatmap";
    try {
      signedInAs(null);
      expect(await outcome(() => requireUser())).toBe("/sign-in?next=%2Fanalyses%2F0b7e%3Fview%3Dheatmap");
      const pending = await oneTimePasswordUser("radiologist");
      signedInAs(pending.cookie);
      expect(await outcome(() => requireUser(["radiologist"]))).toBe("/account/password?next=%2Fanalyses%2F0b7e%3Fview%3Dheatmap");
      request.path = "//evil.example/";
      expect(await outcome(() => requireUser())).toBe("/account/password");
    } finally {
      request.path = null;
    }
  });

  it("answers other session API calls with 403 problem+json, allows the change, and then lets the new session in", async () => {
    const pending = await oneTimePasswordUser("radiologist");
    const held = await call(worklistRoute.POST, "/api/worklist", { method: "POST", headers: { cookie: pending.cookie }, json: {} });
    expect(held.status).toBe(403);
    expect(held.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await held.json()) as { detail: string; code: string };
    expect(problem.code).toBe("password_change_required");
    expect(problem.detail).toMatch(/^Choose a new password before continuing/);

    const changed = await call(passwordRoute.POST, "/api/account/password", {
      method: "POST",
      headers: { cookie: pending.cookie },
      json: { currentPassword: pending.password, newPassword: "my very own password" },
    });
    expect(changed.status, await changed.clone().text()).toBe(200);
    expect(await changed.json()).toEqual({ changed: true });
    const after = await refreshUser(pending.user.id);
    expect(after.mustChangePassword).toBe(false);

    // The old session ended with the change; the one signed in with the new password works.
    expect((await call(worklistRoute.POST, "/api/worklist", { method: "POST", headers: { cookie: pending.cookie }, json: {} })).status).toBe(401);
    const fresh = await call(worklistRoute.POST, "/api/worklist", { method: "POST", headers: { cookie: await sessionCookie(after) }, json: {} });
    expect(fresh.status).toBe(200);
    signedInAs(await sessionCookie(after));
    expect(await outcome(() => requireUser(["radiologist"]))).toBe("ok");
  });

  it("keeps an admin with a one-time password out of the metrics too (that route checks sessions itself)", async () => {
    const pending = await oneTimePasswordUser("admin");
    const res = await call(metricsRoute.GET, "/api/metrics", { headers: { cookie: pending.cookie } });
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain("cxr_http_requests_total");
    const settled = await createTestUser("admin");
    expect((await call(metricsRoute.GET, "/api/metrics", { headers: { cookie: settled.cookie } })).status).toBe(200);
  });

  it("does not hold back API keys of an account whose password must change", async () => {
    const pending = await oneTimePasswordUser("radiologist");
    const { key } = await createTestKey(pending.user, ["analyses:read"]);
    const res = await call(v1AnalysesRoute.GET, "/api/v1/analyses", { headers: { authorization: `Bearer ${key}` } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toHaveProperty("items");
  });
});
