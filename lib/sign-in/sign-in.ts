import "server-only";
import crypto from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { requestIp } from "@/lib/core/client-ip";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/core/roles";
import { users } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { errorSummary, logger } from "@/lib/log";
import { AttemptLimiter } from "@/lib/auth/attempt-limiter";
import { userPrincipal } from "@/lib/auth/principal";
import { verifyPassword } from "@/lib/auth/passwords";
import { authSecret } from "@/lib/auth/secret";
import { checkSecondFactor, hasSecondFactor } from "@/lib/sign-in/mfa/second-factor";
import { MFA_INVALID, MFA_REQUIRED, SIGN_IN_UNAVAILABLE, throttledSignInCode } from "@/lib/auth/sign-in-errors";

/**
 * Whether an account may sign in with its password: local accounts, unless the site signs in through
 * its identity provider only (LOCAL_PASSWORDS=off), where only the break-glass admin keeps a password
 * for when the provider is down.
 */
export function passwordSignInAllowed(user: { email: string; role: string; authMethod: string }): boolean {
  if (user.authMethod !== "password") return false;
  if (env.LOCAL_PASSWORDS === "on") return true;
  return user.role === "admin" && user.email === env.BREAK_GLASS_EMAIL;
}

const CredentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email(),
  password: z.string().min(1).max(512),
  /** The second factor: a 6-digit TOTP code or a recovery code (accounts that have one). */
  code: z.string().trim().max(40).optional(),
});

// Failed sign-ins per account stop password guessing against one person; per client address they
// stop one password tried against many accounts. Only failures count: a right password gives its
// address slot back, so a ward signing in through one proxy address is not locked out by its own
// successes. The price of the account limit: anyone can lock an account for one window (never open it).
const windowMs = env.SIGN_IN_WINDOW_MINUTES * 60_000;
const signInLimits = {
  account: new AttemptLimiter("sign_in.account", env.SIGN_IN_FAILURES_PER_ACCOUNT, windowMs),
  address: new AttemptLimiter("sign_in.address", env.SIGN_IN_FAILURES_PER_IP, windowMs),
};

/**
 * An account's key in the limiter: a keyed hash of the email, so that the table never holds an
 * address in the clear (nor an unkeyed hash one could match against a list), and so that unknown
 * emails are counted exactly like real ones and a lock-out reveals nothing about who has an account.
 */
export function signInAccountKey(email: string): string {
  return crypto.createHmac("sha256", authSecret()).update(`sign-in:${email.trim().toLowerCase()}`).digest("hex");
}

/** Lifts an account's lock-out, e.g. when an admin hands out a new password. */
export function clearSignInFailures(email: string): Promise<void> {
  return signInLimits.account.clear(signInAccountKey(email));
}

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** The account's session version, carried in the session token (see lib/auth/session.ts). */
  sv: number;
}

/** A refusal the sign-in form should explain; its message is a code from sign-in-errors.ts. */
class SignInRefused extends Error {}

/**
 * next-auth's credentials check. Returns the user, or null for a wrong email or password; throws an
 * Error whose message is a sign-in error code when throttled or when something broke (next-auth puts
 * the message in a URL, so no internal error text may reach it). `now` is for tests.
 */
export async function authorizeCredentials(raw: unknown, headers: Headers, now = Date.now()): Promise<SignedInUser | null> {
  try {
    return await checkCredentials(raw, headers, now);
  } catch (error) {
    if (error instanceof SignInRefused) throw error;
    logger.error({ err: errorSummary(error) }, "sign-in failed unexpectedly");
    throw new Error(SIGN_IN_UNAVAILABLE);
  }
}

async function checkCredentials(raw: unknown, headers: Headers, now: number): Promise<SignedInUser | null> {
  const parsed = CredentialsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password, code } = parsed.data;
  const accountKey = signInAccountKey(email);
  const address = requestIp(headers);

  // Slots are taken before the (slow) password check, so parallel guesses cannot overrun a limit.
  const byAccount = await signInLimits.account.attempt(accountKey, now);
  const byAddress = byAccount.allowed ? await signInLimits.address.attempt(address, now) : undefined;
  if (!byAccount.allowed || !byAddress?.allowed) {
    if (byAccount.allowed) await signInLimits.account.release(accountKey, byAccount.at);
    const refusal = byAddress ?? byAccount;
    const [target] = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
    await recordAudit({
      actor: null,
      action: "auth.sign_in_throttled",
      targetType: "user",
      targetId: target?.id,
      details: { limit: byAddress ? "address" : "account", retryAfterSeconds: Math.ceil(refusal.retryAfterMs / 1000) },
      headers,
    });
    throw new SignInRefused(throttledSignInCode(refusal.retryAfterMs));
  }

  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  // The password is checked even for unknown or disabled accounts (against a decoy hash when there is
  // none): the time taken must not reveal which emails have accounts.
  const passwordOk = await verifyPassword(user?.passwordHash ?? null, password);
  const methodOk = user ? passwordSignInAllowed(user) : false;
  const ok = user && !user.disabled && passwordOk && methodOk;
  if (!ok) {
    await recordAudit({
      actor: null,
      action: "auth.sign_in_failed",
      targetType: "user",
      targetId: user?.id,
      details: { reason: user?.disabled ? "disabled" : passwordOk && !methodOk ? "password_sign_in_off" : "bad_credentials" },
      headers,
    });
    return null;
  }

  await signInLimits.account.clear(accountKey);
  await signInLimits.address.release(address, byAddress.at);

  // The password was right; an account with a second factor also needs its code (throttled on its own).
  if (hasSecondFactor(user)) {
    if (!code) throw new SignInRefused(MFA_REQUIRED);
    const checked = await checkSecondFactor(user, code, headers, now);
    if (!checked.ok) throw new SignInRefused(checked.reason === "throttled" ? throttledSignInCode(checked.retryAfterMs ?? 60_000) : MFA_INVALID);
    if (checked.via === "recovery_code") {
      await recordAudit({ actor: userPrincipal(user), action: "auth.mfa_recovery_code_used", targetType: "user", targetId: user.id, headers });
    }
  }
  await db.update(users).set({ lastSignInAt: sql`now()` }).where(eq(users.id, user.id));
  await recordAudit({
    actor: userPrincipal(user),
    action: "auth.sign_in",
    targetType: "user",
    targetId: user.id,
    details: { method: "password", secondFactor: hasSecondFactor(user) },
    headers,
  });
  return { id: user.id, email: user.email, name: user.name, role: user.role, sv: user.sessionVersion };
}
