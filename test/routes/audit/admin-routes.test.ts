// Integration through the admin route handlers: users, API keys and the audit log with its CSV export.
import { afterAll, vi } from "vitest";

// The last-admin rule is about every admin in the database: this file gets a database of its own.
const dropDb = await vi.hoisted(async () => (await import("@/test/support/isolated-database")).useIsolatedDatabase());
afterAll(() => dropDb());

import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as keyRoute from "@/app/api/admin/api-keys/[id]/route";
import * as keysRoute from "@/app/api/admin/api-keys/route";
import * as exportRoute from "@/app/api/admin/audit/export/route";
import * as auditRoute from "@/app/api/admin/audit/route";
import * as passwordRoute from "@/app/api/admin/users/[id]/password/route";
import * as userRoute from "@/app/api/admin/users/[id]/route";
import * as usersRoute from "@/app/api/admin/users/route";
import * as acceptRoute from "@/app/api/invitations/accept/route";
import { db } from "@/lib/db/client";
import { auditEvents, users } from "@/lib/db/schema";
import { call, createTestUser, type TestUser, fromAddress } from "@/test/support/principals";
import type { AuditRow } from "@/lib/audit/query";

describe("admin routes", () => {
  let admin: TestUser;
  beforeAll(async () => {
    admin = await createTestUser("admin");
  });
  const as = (cookie: string) => ({ cookie, "user-agent": "vitest", ...fromAddress("192.0.2.10") });

  it("creates a user with an invitation link the person can use once", async () => {
    const res = await call(usersRoute.POST, "/api/admin/users", { method: "POST", headers: as(admin.cookie), json: { email: "Invitee@Example.org", role: "radiologist" } });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const { user, credential } = await res.json();
    expect(user).toMatchObject({ email: "invitee@example.org", role: "radiologist", hasPassword: false });
    expect(credential.url).toBe(`http://localhost:3000/invite#${credential.token}`);

    const weak = await call(acceptRoute.POST, "/api/invitations/accept", { method: "POST", json: { token: credential.token, password: "short" } });
    expect(weak.status).toBe(400);
    expect((await weak.json()).detail).toMatch(/at least 12/);
    const ok = await call(acceptRoute.POST, "/api/invitations/accept", { method: "POST", json: { token: credential.token, password: "correct horse battery" } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ email: "invitee@example.org" });
    const again = await call(acceptRoute.POST, "/api/invitations/accept", { method: "POST", json: { token: credential.token, password: "correct horse battery" } });
    expect(again.status).toBe(410);

    const dup = await call(usersRoute.POST, "/api/admin/users", { method: "POST", headers: as(admin.cookie), json: { email: "invitee@example.org", role: "patient" } });
    expect(dup.status).toBe(409);
    const bad = await call(usersRoute.POST, "/api/admin/users", { method: "POST", headers: as(admin.cookie), json: { email: "nope", role: "wizard" } });
    expect(bad.status).toBe(400);
  });

  it("answers 409 with a clear message when the last active admin would be demoted or disabled", async () => {
    await db.update(users).set({ disabled: true }).where(eq(users.role, "admin"));
    const solo = await createTestUser("admin");
    for (const json of [{ role: "radiologist" }, { disabled: true }]) {
      const res = await call(userRoute.PATCH, `/api/admin/users/${solo.user.id}`, { method: "PATCH", headers: as(solo.cookie), params: { id: solo.user.id }, json });
      expect(res.status).toBe(409);
      const problem = await res.json();
      expect(problem.code).toBe("last_admin");
      expect(problem.detail).toMatch(/last active admin .* Make another user an admin first/);
    }
    const rad = await createTestUser("radiologist");
    const promote = await call(userRoute.PATCH, `/api/admin/users/${rad.user.id}`, { method: "PATCH", headers: as(solo.cookie), params: { id: rad.user.id }, json: { role: "admin" } });
    expect(promote.status).toBe(200);
    const demoteSelf = await call(userRoute.PATCH, `/api/admin/users/${solo.user.id}`, { method: "PATCH", headers: as(solo.cookie), params: { id: solo.user.id }, json: { role: "radiologist" } });
    expect(demoteSelf.status).toBe(200);
    // The demoted admin's session now carries a stale version: it no longer opens admin routes.
    expect((await call(usersRoute.GET, "/api/admin/users", { headers: as(solo.cookie) })).status).toBe(401);
    admin = await createTestUser("admin");
  });

  it("resets a password with a one-time password and manages API keys", async () => {
    const rad = await createTestUser("radiologist", { password: "old password 123" });
    const reset = await call(passwordRoute.POST, `/api/admin/users/${rad.user.id}/password`, {
      method: "POST",
      headers: as(admin.cookie),
      params: { id: rad.user.id },
      json: { method: "one_time_password" },
    });
    expect(reset.status).toBe(200);
    expect((await reset.json()).credential.password).toHaveLength(20);

    const created = await call(keysRoute.POST, "/api/admin/api-keys", {
      method: "POST",
      headers: as(admin.cookie),
      json: { ownerEmail: rad.user.email, name: "RIS", scopes: ["analyses:read"], expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    expect(created.status).toBe(201);
    const { key, apiKey } = await created.json();
    expect(key).toMatch(/^cxr_/);
    const listed = await (await call(keysRoute.GET, "/api/admin/api-keys", { headers: as(admin.cookie) })).json();
    const row = listed.apiKeys.find((k: { id: string }) => k.id === apiKey.id);
    expect(row).toMatchObject({ name: "RIS", status: "active" });
    expect(JSON.stringify(listed)).not.toContain(key);
    const revoked = await call(keyRoute.DELETE, `/api/admin/api-keys/${apiKey.id}`, { method: "DELETE", headers: as(admin.cookie), params: { id: apiKey.id } });
    expect((await revoked.json()).apiKey.status).toBe("revoked");
  });

  it("filters the audit log and exports the same rows as CSV", async () => {
    const events = async (query: Record<string, string>) =>
      ((await (await call(auditRoute.GET, "/api/admin/audit", { headers: as(admin.cookie), query })).json()) as { rows: AuditRow[]; nextBefore: number | null });
    // Other test files share this database: narrow to this file's admin.
    const keyEvents = await events({ action: "api_key.", actor: admin.user.id });
    expect(keyEvents.rows.map((r) => r.action)).toEqual(["api_key.revoke", "api_key.create"]);
    expect(keyEvents.rows[0]).toMatchObject({ actorEmail: admin.user.email, ip: "192.0.2.10", userAgent: "vitest", targetType: "api_key" });
    // Targets are named, not only ids: the key by its name, a user by their email.
    expect(keyEvents.rows[0].targetName).toBe("RIS");
    const passwordResets = await events({ action: "user.password_reset", actor: admin.user.id });
    expect(passwordResets.rows.length).toBeGreaterThan(0);
    for (const r of passwordResets.rows) expect(r.targetName).toMatch(/@/);
    expect((await events({ action: "user.create" })).rows.every((r) => r.action === "user.create")).toBe(true);
    expect((await events({ actor: admin.user.id })).rows.every((r) => r.actorUserId === admin.user.id)).toBe(true);
    expect((await events({ from: "2199-01-01" })).rows).toEqual([]);

    // Paging by `before` walks the log without gaps or repeats.
    const all = await events({ limit: "500", actor: admin.user.id });
    expect(all.rows.length).toBeGreaterThanOrEqual(3);
    const paged: number[] = [];
    let before: number | null = null;
    do {
      const page: { rows: AuditRow[]; nextBefore: number | null } = await events({ limit: "2", actor: admin.user.id, ...(before ? { before: String(before) } : {}) });
      paged.push(...page.rows.map((r) => r.id));
      before = page.nextBefore;
    } while (before);
    expect(paged).toEqual(all.rows.map((r) => r.id));

    // A user agent written to look like a formula is defused in the CSV.
    await db.insert(auditEvents).values([
      { action: "csvprobe.sign_in_failed", ip: "192.0.2.99", userAgent: '=HYPERLINK("http://evil","x"), "quoted"' },
      { action: "csvprobe.other", actorUserId: admin.user.id, details: { note: "a,b" } },
    ]);
    const csv = await call(exportRoute.GET, "/api/admin/audit/export", { headers: as(admin.cookie), query: { action: "csvprobe." } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await csv.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,at,action,actor_email,actor_user_id,api_key,target_type,target_id,ip,user_agent,details");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(new RegExp(`^\\d+,\\S+,csvprobe\\.other,${admin.user.email.replace(".", "\\.")},${admin.user.id},,,,,,"{""note"":""a,b""}"$`));
    expect(lines[2]).toContain(`"'=HYPERLINK(""http://evil"",""x""), ""quoted"""`);
    // The export itself is audited.
    expect((await events({ action: "audit.export", actor: admin.user.id })).rows).toHaveLength(1);
  });

  it("is for admins only", async () => {
    const rad = await createTestUser("radiologist");
    expect((await call(usersRoute.GET, "/api/admin/users", { headers: as(rad.cookie) })).status).toBe(403);
    expect((await call(exportRoute.GET, "/api/admin/audit/export")).status).toBe(401);
  });
});
