// Integration (PostgreSQL): API key lifecycle, what is stored, the audit trail, and the operator command.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { hashApiKey, principalFromApiKey } from "@/lib/api-keys/keys";
import { db } from "@/lib/db/client";
import { apiKeys, auditEvents } from "@/lib/db/schema";
import { createTestUser } from "@/test/support/principals";
import { CreateApiKeyInput } from "./input";
import { createApiKey, listApiKeys, revokeApiKey } from "./service";
import { appErrorOf } from "@/test/support/app-error";

const run = promisify(execFile);

describe("API key service", () => {
  it("creates a key shown once (only its hash stored), lists and revokes it, with audit events", async () => {
    const admin = await createTestUser("admin");
    const owner = await createTestUser("radiologist");
    const input = CreateApiKeyInput.parse({ ownerEmail: owner.user.email.toUpperCase(), name: " PACS router ", scopes: ["analyses:write", "analyses:read", "analyses:read"] });
    const { key, apiKey } = await createApiKey({ actor: admin.principal, input });
    expect(key).toMatch(/^cxr_[a-z0-9]{10}_[A-Za-z0-9_-]{32}$/);
    expect(apiKey).toMatchObject({ name: "PACS router", scopes: ["analyses:read", "analyses:write"], status: "active", expiresAt: null, lastUsedAt: null });
    expect(key.startsWith(`${apiKey.prefix}_`)).toBe(true);

    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(row.secretHash).toBe(hashApiKey(key));
    // The secret is everything after the prefix (it may itself contain "_").
    expect(JSON.stringify(row)).not.toContain(key.slice(`${apiKey.prefix}_`.length));

    const principal = await principalFromApiKey(`Bearer ${key}`);
    expect(principal).toMatchObject({ kind: "apiKey", keyId: apiKey.id, userId: owner.user.id, role: "radiologist" });
    expect((await listApiKeys()).find((k) => k.id === apiKey.id)?.lastUsedAt).not.toBeNull();

    const revoked = await revokeApiKey({ actor: admin.principal, id: apiKey.id });
    expect(revoked.status).toBe("revoked");
    await expect(principalFromApiKey(`Bearer ${key}`)).rejects.toThrow(/revoked/);
    expect((await appErrorOf(revokeApiKey({ actor: admin.principal, id: apiKey.id }))).status).toBe(409);
    expect((await appErrorOf(revokeApiKey({ actor: admin.principal, id: crypto.randomUUID() }))).status).toBe(404);

    const events = await db.select().from(auditEvents).where(eq(auditEvents.targetId, apiKey.id)).orderBy(auditEvents.id);
    expect(events.map((e) => [e.action, e.actorUserId])).toEqual([
      ["api_key.create", admin.user.id],
      ["api_key.revoke", admin.user.id],
    ]);
    expect(JSON.stringify(events)).not.toContain(key);
  });

  it("refuses patients, disabled or unknown owners, empty scopes and past expiries", async () => {
    const patient = await createTestUser("patient");
    const e = await appErrorOf(createApiKey({ actor: null, input: CreateApiKeyInput.parse({ ownerEmail: patient.user.email, name: "x", scopes: ["analyses:read"] }) }));
    expect(e.status).toBe(422);
    expect(e.message).toMatch(/patients cannot own/);
    expect((await appErrorOf(createApiKey({ actor: null, input: CreateApiKeyInput.parse({ ownerEmail: "nobody@test.invalid", name: "x", scopes: ["analyses:read"] }) }))).message).toMatch(
      /No user has/,
    );
    expect(CreateApiKeyInput.safeParse({ ownerEmail: "a@b.org", name: "x", scopes: [] }).success).toBe(false);
    expect(CreateApiKeyInput.safeParse({ ownerEmail: "a@b.org", name: "x", scopes: ["admin:all"] }).success).toBe(false);
    expect(CreateApiKeyInput.safeParse({ ownerEmail: "a@b.org", name: "x", scopes: ["analyses:read"], expiresAt: "2001-01-01T00:00:00Z" }).success).toBe(false);
  });

  it("npm run apikey:create prints only the key on stdout, and the key works", async () => {
    const owner = await createTestUser("radiologist");
    const root = path.resolve(import.meta.dirname, "../..");
    const { stdout, stderr } = await run(
      "npm",
      ["run", "-s", "apikey:create", "--", "--email", owner.user.email, "--name", "CLI key", "--scopes", "analyses:read,analyses:write", "--expires-days", "30"],
      { cwd: root, env: process.env },
    );
    const key = stdout.trim();
    expect(key).toMatch(/^cxr_[a-z0-9]{10}_[A-Za-z0-9_-]{32}$/);
    expect(stderr).toMatch(/only time the key is shown/);
    const p = await principalFromApiKey(`Bearer ${key}`);
    expect(p).toMatchObject({ userId: owner.user.id, scopes: ["analyses:read", "analyses:write"] });
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, (p as { keyId: string }).keyId));
    expect(row.expiresAt!.getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.targetId, row.id));
    expect(event).toMatchObject({ action: "api_key.create", actorUserId: null, details: expect.objectContaining({ via: "cli" }) });

    const bad = await run("npm", ["run", "-s", "apikey:create", "--", "--email", owner.user.email, "--name", "x", "--scopes", "everything"], { cwd: root, env: process.env }).then(
      () => null,
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    expect(bad?.code).toBe(2);
    expect(bad?.stdout).toBe("");
    expect(bad?.stderr).toMatch(/scopes/);
  });
});
