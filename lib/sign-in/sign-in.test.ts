// Integration (real PostgreSQL): next-auth's credentials check with its throttling, as the sign-in
// route runs it (lib/sign-in/options.ts hands every request to authorizeCredentials).
import crypto from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { attemptCounters, auditEvents, users } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { createTestUser, fromAddress } from "@/test/support/principals";
import { resetPassword } from "@/lib/users/service";
import { authorizeCredentials, signInAccountKey } from "./sign-in";
import { signInErrorMessage } from "@/lib/auth/sign-in-errors";

const MINUTE = 60_000;
const PASSWORD = "the right password";
// Each test signs in from addresses of its own: the per-address counter is shared by the whole file.
const from = (ip: string) => new Headers({ ...fromAddress(ip), "user-agent": "vitest" });
const randomIp = () => `198.18.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;

async function refusal(p: Promise<unknown>): Promise<string> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return (error as Error).message;
}

async function auditFor(userId: string, action: string) {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetId, userId), eq(auditEvents.action, action)));
}

describe("sign-in throttling", () => {
  it("runs with the documented defaults", () => {
    expect([env.SIGN_IN_FAILURES_PER_ACCOUNT, env.SIGN_IN_FAILURES_PER_IP, env.SIGN_IN_WINDOW_MINUTES]).toEqual([5, 20, 15]);
  });

  it("refuses an account after 5 failures even with the right password, until the window passes", async () => {
    const { user } = await createTestUser("radiologist", { password: PASSWORD });
    const t0 = Date.now();
    const headers = from(randomIp());
    for (let i = 0; i < 5; i++) {
      expect(await authorizeCredentials({ email: user.email, password: `guess ${i}` }, headers, t0 + i * MINUTE)).toBeNull();
    }
    // From another address too: the account is locked, not the address. The oldest failure (t0)
    // leaves the window at t0 + 15 min, so at t0 + 5 min there are 10 minutes to go.
    const code = await refusal(authorizeCredentials({ email: user.email.toUpperCase(), password: PASSWORD }, from(randomIp()), t0 + 5 * MINUTE));
    expect(code).toBe("throttled:10");
    expect(signInErrorMessage(code)).toBe("Too many failed sign-ins. Try again in 10 minutes.");

    const throttled = await auditFor(user.id, "auth.sign_in_throttled");
    expect(throttled).toHaveLength(1);
    expect(throttled[0].details).toEqual({ limit: "account", retryAfterSeconds: 600 });
    expect(await auditFor(user.id, "auth.sign_in_failed")).toHaveLength(5);
    expect(await auditFor(user.id, "auth.sign_in")).toHaveLength(0);

    // The counter is keyed by a keyed hash: no email in the table, nor in any audit row.
    const rows = await db.select().from(attemptCounters).where(eq(attemptCounters.key, signInAccountKey(user.email)));
    expect(rows).toHaveLength(1);
    const leaks = await db.execute(
      sql`select count(*)::int as n from audit_events where details::text ilike ${"%" + user.email + "%"} or target_id = ${user.email}`,
    );
    expect((leaks[0] as { n: number }).n).toBe(0);

    // One failure left the window at t0 + 15 min: one more try, and it is the right one.
    const signedIn = await authorizeCredentials({ email: user.email, password: PASSWORD }, headers, t0 + 15 * MINUTE);
    expect(signedIn).toMatchObject({ id: user.id, email: user.email, role: "radiologist", sv: user.sessionVersion });
    expect(await auditFor(user.id, "auth.sign_in")).toHaveLength(1);
  });

  it("clears the account's failures on a successful sign-in", async () => {
    const { user } = await createTestUser("patient", { password: PASSWORD });
    const headers = from(randomIp());
    const now = Date.now();
    for (let i = 0; i < 4; i++) expect(await authorizeCredentials({ email: user.email, password: "wrong" }, headers, now)).toBeNull();
    expect(await authorizeCredentials({ email: user.email, password: PASSWORD }, headers, now)).not.toBeNull();
    expect(await db.select().from(attemptCounters).where(eq(attemptCounters.key, signInAccountKey(user.email)))).toEqual([]);
    // A fresh budget of 5: four more failures do not lock the account.
    for (let i = 0; i < 4; i++) expect(await authorizeCredentials({ email: user.email, password: "wrong" }, headers, now)).toBeNull();
    expect(await authorizeCredentials({ email: user.email, password: PASSWORD }, headers, now)).not.toBeNull();
  });

  it("checks no more than 5 passwords when 12 guesses arrive at once", async () => {
    const { user } = await createTestUser("radiologist", { password: PASSWORD });
    const now = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => authorizeCredentials({ email: user.email, password: `parallel ${i}` }, from(randomIp()), now)),
    );
    expect(results.filter((r) => r.status === "fulfilled" && r.value === null)).toHaveLength(5);
    expect(results.filter((r) => r.status === "rejected" && (r.reason as Error).message === "throttled:15")).toHaveLength(7);
    expect(await auditFor(user.id, "auth.sign_in_failed")).toHaveLength(5);
    expect(await auditFor(user.id, "auth.sign_in_throttled")).toHaveLength(7);
  });

  it("refuses an address after 20 failures across accounts; its successes do not count", async () => {
    const ip = randomIp();
    const headers = from(ip);
    const now = Date.now();
    const { user } = await createTestUser("radiologist", { password: PASSWORD });
    // Successful sign-ins give their slot back: a ward behind one proxy address is not locked out.
    for (let i = 0; i < 22; i++) expect(await authorizeCredentials({ email: user.email, password: PASSWORD }, headers, now)).not.toBeNull();
    // Unknown emails are counted like real ones (a lock-out tells nobody which accounts exist).
    for (let i = 0; i < 20; i++) {
      expect(await authorizeCredentials({ email: `nobody.${i}.${crypto.randomUUID()}@test.invalid`, password: "x" }, headers, now + i)).toBeNull();
    }
    expect(await refusal(authorizeCredentials({ email: user.email, password: PASSWORD }, headers, now + 60_000))).toBe("throttled:14");
    const [event] = await auditFor(user.id, "auth.sign_in_throttled");
    expect(event).toMatchObject({ ip, details: { limit: "address", retryAfterSeconds: 14 * 60 } });
    // The refused attempt did not count against the account, and other addresses are unaffected.
    const account = await db.select().from(attemptCounters).where(eq(attemptCounters.key, signInAccountKey(user.email)));
    expect(account.flatMap((r) => r.attempts)).toEqual([]);
    expect(await authorizeCredentials({ email: user.email, password: PASSWORD }, from(randomIp()), now + 60_000)).not.toBeNull();
  });

  it("only trusts the address lib/api/client-ip trusts: a forged X-Forwarded-For entry does not escape the limit", async () => {
    const ip = randomIp();
    const now = Date.now();
    for (let i = 0; i < 20; i++) {
      const forged = new Headers({ ...fromAddress(ip), "x-forwarded-for": `10.0.0.${i}` });
      expect(await authorizeCredentials({ email: `spray.${i}.${crypto.randomUUID()}@test.invalid`, password: "x" }, forged, now)).toBeNull();
    }
    const forged = new Headers({ ...fromAddress(ip), "x-forwarded-for": "10.9.9.9" });
    expect(await refusal(authorizeCredentials({ email: "another@test.invalid", password: "x" }, forged, now))).toBe("throttled:15");
  });

  it("lets an admin's password reset lift a lock-out", async () => {
    const admin = await createTestUser("admin");
    const { user } = await createTestUser("radiologist", { password: PASSWORD });
    const headers = from(randomIp());
    for (let i = 0; i < 5; i++) await authorizeCredentials({ email: user.email, password: "wrong" }, headers);
    expect(await refusal(authorizeCredentials({ email: user.email, password: PASSWORD }, headers))).toMatch(/^throttled:/);
    const { credential } = await resetPassword({ actor: admin.principal, userId: user.id, method: "one_time_password" });
    const signedIn = await authorizeCredentials({ email: user.email, password: (credential as { password: string }).password }, headers);
    expect(signedIn?.id).toBe(user.id);
  });

  it("turns malformed input into a plain failure and does not count it", async () => {
    const ip = randomIp();
    expect(await authorizeCredentials({ email: "not an email", password: "x" }, from(ip))).toBeNull();
    expect(await authorizeCredentials(undefined, from(ip))).toBeNull();
    const rows = await db.select().from(attemptCounters).where(inArray(attemptCounters.key, [ip]));
    expect(rows).toEqual([]);
    const disabled = await createTestUser("radiologist", { password: PASSWORD });
    await db.update(users).set({ disabled: true }).where(eq(users.id, disabled.user.id));
    expect(await authorizeCredentials({ email: disabled.user.email, password: PASSWORD }, from(ip))).toBeNull();
    expect((await auditFor(disabled.user.id, "auth.sign_in_failed"))[0].details).toEqual({ reason: "disabled" });
  });
});

describe("sign-in error messages", () => {
  it("explains throttling in whole minutes and never shows internal text", () => {
    expect(signInErrorMessage("throttled:1")).toBe("Too many failed sign-ins. Try again in 1 minute.");
    expect(signInErrorMessage("throttled:15")).toBe("Too many failed sign-ins. Try again in 15 minutes.");
    expect(signInErrorMessage("unavailable")).toMatch(/not possible right now/);
    for (const other of ["CredentialsSignin", "relation \"users\" does not exist", null, undefined, "throttled:abc"]) {
      expect(signInErrorMessage(other)).toBe("The email or password is not right, or the account is disabled.");
    }
  });
});
