// Integration (PostgreSQL): user administration, the last-admin rule, credentials and their audit trail.
import { afterAll, vi } from "vitest";

// The last-admin rule is about every admin in the database: this file gets a database of its own.
const dropDb = await vi.hoisted(async () => (await import("@/test/support/isolated-database")).useIsolatedDatabase());
afterAll(() => dropDb());

import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/passwords";
import { principalFromSessionToken } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { auditEvents, users } from "@/lib/db/schema";
import { createTestUser, refreshUser, sessionCookie } from "@/test/support/principals";
import { acceptInvitation } from "./accept-invitation";
import { changeOwnPassword } from "./change-password";
import { createInviteToken } from "./invitations";
import { CreateUserInput } from "./input";
import { createUser, listUsers, resetPassword, updateUser } from "./service";
import { appErrorOf } from "@/test/support/app-error";

const tokenOf = (cookie: string) => cookie.split("=")[1];

async function auditFor(targetId: string) {
  return db.select().from(auditEvents).where(eq(auditEvents.targetId, targetId)).orderBy(auditEvents.id);
}

describe("user administration on PostgreSQL", () => {
  it("creates users with a one-time password or an invitation, refuses duplicates, audits", async () => {
    const admin = await createTestUser("admin");
    const otp = await createUser({ actor: admin.principal, input: CreateUserInput.parse({ email: "New.Rad@Example.org ", name: "Dr New", role: "radiologist", method: "one_time_password" }) });
    expect(otp.user).toMatchObject({ email: "new.rad@example.org", role: "radiologist", hasPassword: true, mustChangePassword: true, lastSignInAt: null });
    expect(otp.credential.method).toBe("one_time_password");
    const password = (otp.credential as { password: string }).password;
    expect(password).toHaveLength(20);
    const [row] = await db.select().from(users).where(eq(users.id, otp.user.id));
    expect(row.passwordHash).not.toContain(password);
    expect(await verifyPassword(row.passwordHash, password)).toBe(true);

    const dup = await appErrorOf(createUser({ actor: admin.principal, input: { email: "new.rad@example.org", name: "", role: "patient", method: "invitation" } }));
    expect(dup.status).toBe(409);

    const inv = await createUser({ actor: admin.principal, input: { email: "invited@example.org", name: "", role: "patient", method: "invitation" } });
    expect(inv.user.hasPassword).toBe(false);
    const token = (inv.credential as { token: string }).token;
    await acceptInvitation({ token, password: "a long enough password" });
    const invited = await refreshUser(inv.user.id);
    expect(await verifyPassword(invited.passwordHash, "a long enough password")).toBe(true);
    // The link works once.
    const again = await appErrorOf(acceptInvitation({ token, password: "another long password" }));
    expect(again.status).toBe(410);
    expect(again.extra.subcode).toBe("invitation_used");

    const actions = (await auditFor(inv.user.id)).map((e) => [e.action, e.actorUserId]);
    expect(actions).toEqual([
      ["user.create", admin.user.id],
      ["user.invitation_accepted", inv.user.id],
    ]);
    const listed = await listUsers();
    expect(listed.map((u) => u.email)).toEqual(expect.arrayContaining(["new.rad@example.org", "invited@example.org"]));
  });

  it("refuses tampered and expired invitation links", async () => {
    const u = await createTestUser("radiologist");
    const { token } = createInviteToken(u.user.id, u.user.sessionVersion);
    const [body, mac] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ uid: u.user.id, sv: 0, exp: Date.now() + 1e12 })).toString("base64url");
    expect((await appErrorOf(acceptInvitation({ token: `${forged}.${mac}`, password: "x".repeat(12) }))).status).toBe(400);
    expect((await appErrorOf(acceptInvitation({ token: `${body}.${mac}x`, password: "x".repeat(12) }))).status).toBe(400);
    const old = createInviteToken(u.user.id, u.user.sessionVersion, Date.now() - 30 * 86_400_000);
    const expired = await appErrorOf(acceptInvitation({ token: old.token, password: "x".repeat(12) }));
    expect(expired.status).toBe(410);
    expect(expired.extra.subcode).toBe("invitation_expired");
    expect((await refreshUser(u.user.id)).passwordHash).toBeNull();
  });

  it("changes role, disables and enables, ending sessions; the last active admin stays", async () => {
    const [{ name }] = (await db.execute(sql`select current_database() as name`)) as unknown as { name: string }[];
    expect(name).toMatch(/^cxr_test_\d+_[0-9a-f]{6}_[0-9a-f]{6}$/); // this file's own database
    // Start from a state with exactly one active admin.
    await db.update(users).set({ disabled: true }).where(eq(users.role, "admin"));
    const boss = await createTestUser("admin");
    const rad = await createTestUser("radiologist");
    expect(await principalFromSessionToken(tokenOf(rad.cookie))).not.toBeNull();

    const promoted = await updateUser({ actor: boss.principal, userId: rad.user.id, input: { role: "admin" } });
    expect(promoted.role).toBe("admin");
    // The old session carried the old session version.
    expect(await principalFromSessionToken(tokenOf(rad.cookie))).toBeNull();

    // Two active admins: one may be demoted...
    await updateUser({ actor: boss.principal, userId: rad.user.id, input: { role: "radiologist" } });
    // ...but then the remaining one can be neither demoted nor disabled.
    const demote = await appErrorOf(updateUser({ actor: boss.principal, userId: boss.user.id, input: { role: "patient" } }));
    expect(demote.status).toBe(409);
    expect(demote.extra.subcode).toBe("last_admin");
    expect(demote.message).toMatch(/last active admin and cannot be demoted/);
    const disable = await appErrorOf(updateUser({ actor: boss.principal, userId: boss.user.id, input: { disabled: true } }));
    expect(disable.message).toMatch(/cannot be disabled/);
    expect((await refreshUser(boss.user.id)).role).toBe("admin");
    // Renaming the last admin is fine.
    expect((await updateUser({ actor: boss.principal, userId: boss.user.id, input: { name: "Chief" } })).name).toBe("Chief");

    const disabled = await updateUser({ actor: boss.principal, userId: rad.user.id, input: { disabled: true } });
    expect(disabled.disabled).toBe(true);
    const fresh = await refreshUser(rad.user.id);
    expect(await principalFromSessionToken(tokenOf(await sessionCookie(fresh)))).toBeNull();
    await updateUser({ actor: boss.principal, userId: rad.user.id, input: { disabled: false } });
    expect(await principalFromSessionToken(tokenOf(await sessionCookie(await refreshUser(rad.user.id))))).not.toBeNull();

    expect((await auditFor(rad.user.id)).map((e) => e.action)).toEqual([
      "user.role_change",
      "user.role_change",
      "user.disable",
      "user.enable",
    ]);
    expect((await appErrorOf(updateUser({ actor: boss.principal, userId: crypto.randomUUID(), input: { disabled: true } }))).status).toBe(404);
  });

  it("never lets two admins demote each other at the same moment", async () => {
    await db.update(users).set({ disabled: true }).where(eq(users.role, "admin"));
    const a = await createTestUser("admin");
    const b = await createTestUser("admin");
    const results = await Promise.allSettled([
      updateUser({ actor: a.principal, userId: b.user.id, input: { role: "radiologist" } }),
      updateUser({ actor: b.principal, userId: a.user.id, input: { role: "radiologist" } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const admins = await db.select().from(users).where(and(inArray(users.id, [a.user.id, b.user.id]), eq(users.role, "admin")));
    expect(admins).toHaveLength(1);
  });

  it("resets a password: old sessions end, old password stops working, new credential works", async () => {
    const admin = await createTestUser("admin");
    const rad = await createTestUser("radiologist", { password: "the old password" });
    const { credential } = await resetPassword({ actor: admin.principal, userId: rad.user.id, method: "one_time_password" });
    const after = await refreshUser(rad.user.id);
    expect(after.sessionVersion).toBe(rad.user.sessionVersion + 1);
    expect(after.mustChangePassword).toBe(true);
    expect(await verifyPassword(after.passwordHash, "the old password")).toBe(false);
    expect(await verifyPassword(after.passwordHash, (credential as { password: string }).password)).toBe(true);
    expect(await principalFromSessionToken(tokenOf(rad.cookie))).toBeNull();

    // An invitation reset voids the previous invitation link.
    const first = await resetPassword({ actor: admin.principal, userId: rad.user.id, method: "invitation" });
    const second = await resetPassword({ actor: admin.principal, userId: rad.user.id, method: "invitation" });
    expect((await refreshUser(rad.user.id)).passwordHash).toBeNull();
    expect((await appErrorOf(acceptInvitation({ token: (first.credential as { token: string }).token, password: "p".repeat(12) }))).status).toBe(410);
    await acceptInvitation({ token: (second.credential as { token: string }).token, password: "p".repeat(12) });
    expect((await auditFor(rad.user.id)).filter((e) => e.action === "user.password_reset")).toHaveLength(3);
  });

  it("lets a person replace a one-time password; all their sessions end", async () => {
    const admin = await createTestUser("admin");
    const created = await createUser({ actor: admin.principal, input: CreateUserInput.parse({ email: "otp.user@example.org", role: "patient", method: "one_time_password" }) });
    const otp = (created.credential as { password: string }).password;
    const user = await refreshUser(created.user.id);
    const me = { kind: "user" as const, userId: user.id, email: user.email, name: user.name, role: user.role };
    const cookie = await sessionCookie(user);
    const wrong = await appErrorOf(changeOwnPassword({ actor: me, currentPassword: "not it", newPassword: "a brand new password" }));
    expect(wrong.status).toBe(400);
    expect(wrong.message).toMatch(/current password is not right/);
    await changeOwnPassword({ actor: me, currentPassword: otp, newPassword: "a brand new password" });
    const after = await refreshUser(user.id);
    expect(after.mustChangePassword).toBe(false);
    expect(await verifyPassword(after.passwordHash, "a brand new password")).toBe(true);
    expect(await principalFromSessionToken(tokenOf(cookie))).toBeNull();
    expect((await auditFor(user.id)).map((e) => e.action)).toEqual(["user.create", "user.password_change_failed", "user.password_change"]);
  });
});
