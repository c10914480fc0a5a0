// Integration (real PostgreSQL): with LOCAL_PASSWORDS=off only single sign-on admits people, except the
// one local break-glass admin (BREAK_GLASS_EMAIL) for when the identity provider is down.
import { vi } from "vitest";

const breakGlassEmail = vi.hoisted(() => {
  const email = `break.glass.${Date.now()}@test.invalid`;
  process.env.LOCAL_PASSWORDS = "off";
  process.env.BREAK_GLASS_EMAIL = email;
  // Password sign-in may only be off when single sign-on is configured (lib/env.ts refuses otherwise).
  process.env.OIDC_ISSUER = "http://127.0.0.1:9/never-contacted";
  process.env.OIDC_CLIENT_ID = "cxr-assist";
  process.env.OIDC_CLIENT_SECRET = "not-used-by-this-test";
  process.env.OIDC_ROLE_MAP = "cxr-admins=admin";
  return email;
});

import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { auditEvents, users } from "@/lib/db/schema";
import { createTestUser, fromAddress } from "@/test/support/principals";
import { hashPassword } from "@/lib/auth/passwords";
import { authorizeCredentials } from "./sign-in";
import { signInMethods } from "@/lib/sign-in/sign-in-methods";

const PASSWORD = "the right password";
const headers = () => new Headers({ ...fromAddress("198.51.100.77"), "user-agent": "vitest" });

describe("break-glass admin", () => {
  it("is the one local account that signs in with a password when local passwords are off", async () => {
    expect(signInMethods()).toEqual({ sso: { name: "single sign-on" }, passwords: false });
    const [glass] = await db
      .insert(users)
      .values({ email: breakGlassEmail, name: "Break glass", role: "admin", passwordHash: await hashPassword(PASSWORD) })
      .returning();
    expect(await authorizeCredentials({ email: breakGlassEmail, password: PASSWORD }, headers())).toMatchObject({ id: glass.id, role: "admin" });

    const other = await createTestUser("admin", { password: PASSWORD });
    expect(await authorizeCredentials({ email: other.user.email, password: PASSWORD }, headers())).toBeNull();
    const [refused] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, other.user.id), eq(auditEvents.action, "auth.sign_in_failed")));
    expect(refused.details).toEqual({ reason: "password_sign_in_off" });
  });

  it("must be an admin", async () => {
    await db.update(users).set({ role: "radiologist" }).where(eq(users.email, breakGlassEmail));
    expect(await authorizeCredentials({ email: breakGlassEmail, password: PASSWORD }, headers())).toBeNull();
  });
});
