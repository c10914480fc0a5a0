// Integration (real PostgreSQL): who a person vouched for by the identity provider becomes here, as the
// sign-in callback runs it (lib/auth/options.ts hands every OpenID Connect sign-in to resolveOidcSignIn).
import { vi } from "vitest";

vi.hoisted(() => {
  process.env.OIDC_ROLE_MAP = "cxr-admins=admin,cxr-radiologists=radiologist";
  process.env.OIDC_ROLE_CLAIM = "groups";
});

import crypto from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { auditEvents, users } from "@/lib/db/schema";
import { createTestUser, refreshUser, sessionCookie } from "@/test/support/principals";
import { encode } from "next-auth/jwt";
import { authSecret } from "@/lib/auth/secret";
import { newSessionClaims, principalFromSessionToken } from "@/lib/auth/session";
import { resolveOidcSignIn } from "./sign-in";

const headers = new Headers({ "user-agent": "vitest" });
function person(groups: unknown) {
  const tag = crypto.randomBytes(4).toString("hex");
  return { id: `sub-${tag}`, email: `sso.${tag}@hospital.test`, name: `Dr ${tag}`, claims: { sub: `sub-${tag}`, groups } };
}
const audits = (action: string, targetId?: string) =>
  db
    .select()
    .from(auditEvents)
    .where(targetId ? and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId)) : eq(auditEvents.action, action));

describe("single sign-on accounts", () => {
  it("makes an account at the first sign-in with the mapped role, bound to the subject, and audits it", async () => {
    const p = person(["cxr-radiologists", "canteen"]);
    const result = await resolveOidcSignIn(p, headers);
    expect(result).toMatchObject({ ok: true, user: { email: p.email, role: "radiologist" } });
    const [row] = await db.select().from(users).where(eq(users.oidcSubject, p.id));
    expect(row).toMatchObject({ authMethod: "oidc", passwordHash: null, role: "radiologist" });
    const [signIn] = await audits("auth.sign_in", row.id);
    expect(signIn.details).toEqual({ method: "oidc", subject: p.id });
    expect((await audits("user.create", row.id))[0].details).toMatchObject({ method: "oidc", subject: p.id });
    // The same subject signs in to the same account.
    expect(await resolveOidcSignIn(p, headers)).toMatchObject({ ok: true, user: { id: row.id } });
  });

  it("refuses a person whose groups map to no role, and audits the refusal with the subject", async () => {
    const p = person(["canteen"]);
    expect(await resolveOidcSignIn(p, headers)).toEqual({ ok: false, reason: "no_role" });
    expect(await db.select().from(users).where(eq(users.email, p.email))).toHaveLength(0);
    const refused = (await audits("auth.sso_refused")).filter((e) => (e.details as { subject?: string }).subject === p.id);
    expect(refused).toHaveLength(1);
    expect(refused[0].details).toMatchObject({ reason: "no_role", values: ["canteen"] });
  });

  it("applies a role changed at the provider at the next sign-in, ends older sessions, and audits the change", async () => {
    const p = person(["cxr-radiologists"]);
    const first = await resolveOidcSignIn(p, headers);
    if (!first.ok) throw new Error("first sign-in refused");
    const before = await refreshUser(first.user.id);
    const oldCookie = await sessionCookie(before);
    p.claims.groups = ["cxr-admins"];
    const second = await resolveOidcSignIn(p, headers);
    expect(second).toMatchObject({ ok: true, user: { role: "admin" } });
    const [change] = await audits("user.role_change", first.user.id);
    expect(change.details).toEqual({ from: "radiologist", to: "admin", source: "oidc", subject: p.id });
    expect(await principalFromSessionToken(oldCookie.split("=")[1])).toBeNull();
  });

  it("binds an account an admin pre-provisioned for single sign-on, and never takes over a password account", async () => {
    const p = person(["cxr-radiologists"]);
    const [made] = await db.insert(users).values({ email: p.email, name: "", role: "patient", authMethod: "oidc" }).returning();
    expect(await resolveOidcSignIn(p, headers)).toMatchObject({ ok: true, user: { id: made.id, role: "radiologist" } });
    expect((await refreshUser(made.id)).oidcSubject).toBe(p.id);

    const local = await createTestUser("radiologist", { password: "a local password" });
    const taker = { ...person(["cxr-admins"]), email: local.user.email };
    expect(await resolveOidcSignIn(taker, headers)).toEqual({ ok: false, reason: "email_in_use" });
    expect((await refreshUser(local.user.id)).role).toBe("radiologist");
  });

  it("refuses a disabled account", async () => {
    const p = person(["cxr-radiologists"]);
    const first = await resolveOidcSignIn(p, headers);
    if (!first.ok) throw new Error("first sign-in refused");
    await db.update(users).set({ disabled: true }).where(eq(users.id, first.user.id));
    expect(await resolveOidcSignIn(p, headers)).toEqual({ ok: false, reason: "disabled" });
  });
});

describe("single sign-on sessions", () => {
  it("hold for OIDC_SESSION_MINUTES (60 by default), after which the person must pass the provider again", async () => {
    const p = person(["cxr-radiologists"]);
    const signedIn = await resolveOidcSignIn(p, headers);
    if (!signedIn.ok) throw new Error("sign-in refused");
    const now = Date.now();
    const fresh = newSessionClaims({ ...signedIn.user, sso: true }, now);
    expect(fresh.ssoUntil).toBe(now + 60 * 60_000);
    const token = async (claims: object) => encode({ token: { ...claims, role: "radiologist" }, secret: authSecret() });
    expect(await principalFromSessionToken(await token(fresh))).toMatchObject({ userId: signedIn.user.id });
    const lapsed = newSessionClaims({ ...signedIn.user, sso: true }, now - 61 * 60_000);
    expect(await principalFromSessionToken(await token(lapsed))).toBeNull();
  });
});
