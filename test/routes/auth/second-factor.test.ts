// Integration (real PostgreSQL): the TOTP second factor of local accounts, through the same sign-in
// check next-auth runs (authorizeCredentials), with MFA_REQUIRED at its production default.
import { vi } from "vitest";

vi.hoisted(() => {
  process.env.MFA_REQUIRED = "admins";
});

import crypto from "node:crypto";
import { and, eq } from "drizzle-orm";
import { TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { auditEvents, mfaRecoveryCodes, users } from "@/lib/db/schema";
import { env } from "@/lib/env";
import * as passwordRoute from "@/app/api/account/password/route";
import * as confirmRoute from "@/app/api/account/two-factor/confirm/route";
import * as enrolRoute from "@/app/api/account/two-factor/route";
import * as resetRoute from "@/app/api/admin/users/[id]/second-factor/route";
import * as usersRoute from "@/app/api/admin/users/route";
import { call, createTestUser, fromAddress, refreshUser, sessionCookie } from "@/test/support/principals";
import { principalFromSessionToken } from "@/lib/auth/session";
import { authorizeCredentials } from "@/lib/sign-in/sign-in";
import { MFA_INVALID, MFA_REQUIRED } from "@/lib/auth/sign-in-errors";
import { secondFactorRequired } from "@/lib/auth/mfa/policy";
import { openSecret, sealSecret } from "@/lib/sign-in/mfa/secret-box";

const PASSWORD = "the right password";
const from = () => new Headers({ ...fromAddress(`198.19.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`), "user-agent": "vitest" });
const codeAt = (secret: string, at: number) => new TOTP({ secret, algorithm: "SHA1", digits: 6, period: 30 }).generate({ timestamp: at });

async function refusal(p: Promise<unknown>): Promise<string> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return (error as Error).message;
}

const sessionOf = (cookie: string) => principalFromSessionToken(cookie.split("=").slice(1).join("="));

/** An admin with a confirmed second factor, enrolled through the routes; returns its key and recovery codes. */
async function enrolledAdmin() {
  const admin = await createTestUser("admin", { password: PASSWORD });
  const started = await call(enrolRoute.POST, "/api/account/two-factor", { method: "POST", headers: { cookie: admin.cookie } });
  expect(started.status).toBe(200);
  const { secret, uri, qrSvg } = (await started.json()) as { secret: string; uri: string; qrSvg: string };
  expect(uri).toContain(`secret=${secret}`);
  expect(qrSvg).toContain("<svg");
  const confirmed = await call(confirmRoute.POST, "/api/account/two-factor/confirm", {
    method: "POST",
    headers: { cookie: admin.cookie },
    json: { code: codeAt(secret, Date.now()) },
  });
  expect(confirmed.status).toBe(200);
  const { recoveryCodes } = (await confirmed.json()) as { recoveryCodes: string[] };
  return { admin, secret, recoveryCodes };
}

describe("second factor", () => {
  it("is required of local admins by default, of everyone with MFA_REQUIRED=all, never of single sign-on accounts", () => {
    expect(env.MFA_REQUIRED).toBe("admins");
    const local = { authMethod: "password" as const, totpConfirmedAt: null };
    expect(secondFactorRequired({ ...local, role: "admin" }, "admins")).toBe(true);
    expect(secondFactorRequired({ ...local, role: "radiologist" }, "admins")).toBe(false);
    expect(secondFactorRequired({ ...local, role: "radiologist" }, "all")).toBe(true);
    expect(secondFactorRequired({ ...local, role: "admin" }, "off")).toBe(false);
    expect(secondFactorRequired({ ...local, role: "admin", totpConfirmedAt: new Date() }, "all")).toBe(false);
    expect(secondFactorRequired({ authMethod: "oidc", role: "admin", totpConfirmedAt: null }, "all")).toBe(false);
  });

  it("keeps an admin without one out of everything but the set-up until it is confirmed", async () => {
    const admin = await createTestUser("admin", { password: PASSWORD });
    expect(await sessionOf(admin.cookie)).toMatchObject({ mustEnrolSecondFactor: true });
    const listed = await call(usersRoute.GET, "/api/admin/users", { headers: { cookie: admin.cookie } });
    expect(listed.status).toBe(403);
    expect(await listed.json()).toMatchObject({ status: 403, code: "second_factor_required" });

    const started = await call(enrolRoute.POST, "/api/account/two-factor", { method: "POST", headers: { cookie: admin.cookie } });
    const { secret } = (await started.json()) as { secret: string };
    // Stored sealed, never in the clear.
    const stored = await refreshUser(admin.user.id);
    expect(stored.totpSecret).not.toContain(secret);
    expect(openSecret(stored.totpSecret!)).toBe(secret);
    expect(stored.totpConfirmedAt).toBeNull();

    const wrong = await call(confirmRoute.POST, "/api/account/two-factor/confirm", { method: "POST", headers: { cookie: admin.cookie }, json: { code: "000000" === codeAt(secret, Date.now()) ? "111111" : "000000" } });
    expect(wrong.status).toBe(400);
    const right = await call(confirmRoute.POST, "/api/account/two-factor/confirm", { method: "POST", headers: { cookie: admin.cookie }, json: { code: codeAt(secret, Date.now()) } });
    expect(right.status).toBe(200);
    const { recoveryCodes } = (await right.json()) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const hashes = await db.select().from(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, admin.user.id));
    expect(hashes).toHaveLength(10);
    for (const row of hashes) expect(row.codeHash).toMatch(/^\$argon2id\$/);

    expect(await sessionOf(admin.cookie)).toMatchObject({ mustEnrolSecondFactor: false });
    expect((await call(usersRoute.GET, "/api/admin/users", { headers: { cookie: admin.cookie } })).status).toBe(200);
  });

  it("lets a first admin holding a one-time password change it first, then set up the second factor", async () => {
    const admin = await createTestUser("admin", { password: PASSWORD });
    await db.update(users).set({ mustChangePassword: true }).where(eq(users.id, admin.user.id));
    // The set-up waits for the password.
    const early = await call(enrolRoute.POST, "/api/account/two-factor", { method: "POST", headers: { cookie: admin.cookie } });
    expect(early.status).toBe(403);
    expect(await early.json()).toMatchObject({ code: "password_change_required" });
    const changed = await call(passwordRoute.POST, "/api/account/password", {
      method: "POST",
      headers: { cookie: admin.cookie },
      json: { currentPassword: PASSWORD, newPassword: "a brand new password" },
    });
    expect(changed.status).toBe(200);
    const cookie = await sessionCookie(await refreshUser(admin.user.id));
    expect(await sessionOf(cookie)).toMatchObject({ mustChangePassword: false, mustEnrolSecondFactor: true });
    expect((await call(enrolRoute.POST, "/api/account/two-factor", { method: "POST", headers: { cookie } })).status).toBe(200);
  });

  it("asks for a code after the right password, takes each code once, and each recovery code once", async () => {
    const { admin, secret, recoveryCodes } = await enrolledAdmin();
    const email = admin.user.email;
    // The enrolment used the current step: a later step is needed for the first sign-in.
    const later = Date.now() + 30_000;

    expect(await refusal(authorizeCredentials({ email, password: PASSWORD }, from(), later))).toBe(MFA_REQUIRED);
    // A code does not stand in for the password.
    expect(await authorizeCredentials({ email, password: "wrong password", code: codeAt(secret, later) }, from(), later)).toBeNull();

    const code = codeAt(secret, later);
    expect(await authorizeCredentials({ email, password: PASSWORD, code }, from(), later)).toMatchObject({ id: admin.user.id });
    expect(await refusal(authorizeCredentials({ email, password: PASSWORD, code }, from(), later))).toBe(MFA_INVALID);
    // Nor a code of an earlier step, still inside the drift window.
    expect(await refusal(authorizeCredentials({ email, password: PASSWORD, code: codeAt(secret, later - 30_000) }, from(), later))).toBe(MFA_INVALID);

    const [recovery] = recoveryCodes;
    expect(await authorizeCredentials({ email, password: PASSWORD, code: recovery.toUpperCase() }, from(), later)).toMatchObject({ id: admin.user.id });
    expect(await refusal(authorizeCredentials({ email, password: PASSWORD, code: recovery }, from(), later))).toBe(MFA_INVALID);

    const actions = (await db.select().from(auditEvents).where(eq(auditEvents.targetId, admin.user.id))).map((e) => e.action);
    expect(actions.filter((a) => a === "auth.sign_in")).toHaveLength(2);
    expect(actions.filter((a) => a === "auth.mfa_failed")).toHaveLength(3);
    expect(actions).toContain("auth.mfa_enrolled");
    expect(actions).toContain("auth.mfa_recovery_code_used");
  });

  it("throttles wrong codes per account", async () => {
    const { admin, secret } = await enrolledAdmin();
    const email = admin.user.email;
    const t = Date.now() + 60_000;
    const right = codeAt(secret, t);
    const wrong = right === "123456" ? "654321" : "123456";
    for (let i = 0; i < env.SIGN_IN_FAILURES_PER_ACCOUNT; i++) {
      expect(await refusal(authorizeCredentials({ email, password: PASSWORD, code: wrong }, from(), t))).toBe(MFA_INVALID);
    }
    // Even the right code is refused until the window has passed.
    expect(await refusal(authorizeCredentials({ email, password: PASSWORD, code: right }, from(), t))).toMatch(/^throttled:\d+$/);
    expect(await auditFor(admin.user.id, "auth.mfa_throttled")).toHaveLength(1);
  });

  it("can be reset by an admin: sessions end, the factor and its codes are gone, audited", async () => {
    const { admin } = await enrolledAdmin();
    const { admin: other } = await enrolledAdmin();
    const reset = await call(resetRoute.DELETE, `/api/admin/users/${other.user.id}/second-factor`, {
      method: "DELETE",
      headers: { cookie: admin.cookie },
      params: { id: other.user.id },
    });
    expect(reset.status).toBe(200);
    const after = await refreshUser(other.user.id);
    expect([after.totpSecret, after.totpConfirmedAt]).toEqual([null, null]);
    expect(await db.select().from(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, other.user.id))).toHaveLength(0);
    expect(await sessionOf(other.cookie)).toBeNull();
    const [event] = await auditFor(other.user.id, "user.mfa_reset");
    expect(event.actorUserId).toBe(admin.user.id);
    // Signing in again needs only the password, then the set-up (MFA_REQUIRED=admins).
    expect(await authorizeCredentials({ email: other.user.email, password: PASSWORD }, from())).toMatchObject({ id: other.user.id });
  });

  it("does not open a secret sealed under another key, nor an altered one", () => {
    const sealed = sealSecret("JBSWY3DPEHPK3PXP");
    expect(openSecret(sealed)).toBe("JBSWY3DPEHPK3PXP");
    const parts = sealed.split(".");
    parts[3] = Buffer.from("XXXXXXXXXXXXXXXX").toString("base64url");
    expect(openSecret(parts.join("."))).toBeNull();
    expect(openSecret("v0.a.b.c")).toBeNull();
  });
});

async function auditFor(userId: string, action: string) {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetId, userId), eq(auditEvents.action, action)));
}

