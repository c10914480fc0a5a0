import "server-only";
import { hash, verify } from "@node-rs/argon2";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import QRCode from "qrcode";
import { AppError } from "@/lib/core/errors";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { mfaRecoveryCodes, users, type User } from "@/lib/db/schema";
import { env } from "@/lib/env";
import type { Principal } from "@/lib/auth/principal";
import { AttemptLimiter } from "@/lib/auth/attempt-limiter";
import { newRecoveryCodes, normalizeRecoveryCode } from "./recovery-codes";
import { openSecret, sealSecret } from "./secret-box";
import { matchingTotpStep, newTotpSecret, TOTP_CODE, totpUri } from "./totp";

// Recovery codes carry ~50 bits, so argon2's lightest profile is plenty and keeps checking ten of them fast.
const recoveryHashOptions = { memoryCost: 4096, timeCost: 2, parallelism: 1, algorithm: 2 /* Argon2id */ } as const;

// Wrong second-factor codes per account, in the same window as failed passwords: 6-digit codes must not
// be guessable by trying a million of them once the password is known.
const codeLimiter = new AttemptLimiter("mfa.account", env.SIGN_IN_FAILURES_PER_ACCOUNT, env.SIGN_IN_WINDOW_MINUTES * 60_000);

export function hasSecondFactor(user: Pick<User, "totpConfirmedAt" | "totpSecret">): boolean {
  return user.totpConfirmedAt !== null && user.totpSecret !== null;
}

export type CodeCheck = { ok: true; via: "totp" | "recovery_code" } | { ok: false; reason: "wrong" | "throttled"; retryAfterMs?: number };

/**
 * Checks a code typed at sign-in for an account with a confirmed second factor: a TOTP code of a step
 * later than the last accepted one, or an unused recovery code (which is used up). Throttled per account.
 */
export async function checkSecondFactor(user: User, typed: string, headers: Headers, now = Date.now()): Promise<CodeCheck> {
  const slot = await codeLimiter.attempt(user.id, now);
  if (!slot.allowed) {
    await recordAudit({ actor: null, action: "auth.mfa_throttled", targetType: "user", targetId: user.id, headers });
    return { ok: false, reason: "throttled", retryAfterMs: slot.retryAfterMs };
  }
  const code = typed.replace(/\s/g, "");
  const via = TOTP_CODE.test(code) ? await spendTotpCode(user, code, now) : await spendRecoveryCode(user, code);
  if (!via) {
    await recordAudit({ actor: null, action: "auth.mfa_failed", targetType: "user", targetId: user.id, headers });
    return { ok: false, reason: "wrong" };
  }
  await codeLimiter.clear(user.id);
  return { ok: true, via };
}

async function spendTotpCode(user: User, code: string, now: number): Promise<"totp" | null> {
  const secret = user.totpSecret ? openSecret(user.totpSecret) : null;
  const step = secret ? matchingTotpStep(secret, code, now) : null;
  if (step === null) return null;
  // Compare-and-set: of two sign-ins racing with one code, one wins; a code of an older step never works.
  const [taken] = await db
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, user.id), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
    .returning({ id: users.id });
  return taken ? "totp" : null;
}

async function spendRecoveryCode(user: User, typed: string): Promise<"recovery_code" | null> {
  const code = normalizeRecoveryCode(typed);
  if (!code) return null;
  const unused = await db
    .select()
    .from(mfaRecoveryCodes)
    .where(and(eq(mfaRecoveryCodes.userId, user.id), isNull(mfaRecoveryCodes.usedAt)));
  for (const row of unused) {
    if (!(await verify(row.codeHash, code).catch(() => false))) continue;
    const [used] = await db
      .update(mfaRecoveryCodes)
      .set({ usedAt: sql`now()` })
      .where(and(eq(mfaRecoveryCodes.id, row.id), isNull(mfaRecoveryCodes.usedAt)))
      .returning({ id: mfaRecoveryCodes.id });
    return used ? "recovery_code" : null;
  }
  return null;
}

export interface EnrolmentStart {
  secret: string;
  uri: string;
  /** The URI as an SVG QR code, for an <img src="data:image/svg+xml,...">. */
  qrSvg: string;
}

/** Starts (or restarts) an enrolment: a new key, stored sealed but not yet in force. */
export async function startEnrolment(actor: Principal): Promise<EnrolmentStart> {
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId)).limit(1);
  if (!user || user.authMethod !== "password") {
    throw new AppError("conflict", "Accounts that sign in through single sign-on get their second factor from the identity provider.", {
      subcode: "sso_account",
    });
  }
  if (hasSecondFactor(user)) {
    throw new AppError("conflict", "A second factor is set up already. An admin can reset it if the device is lost.", { subcode: "mfa_enrolled" });
  }
  const secret = newTotpSecret();
  await db.update(users).set({ totpSecret: sealSecret(secret), totpConfirmedAt: null, totpLastStep: null }).where(eq(users.id, user.id));
  const uri = totpUri(secret, user.email);
  return { secret, uri, qrSvg: await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 }) };
}

/** Confirms the enrolment with a code from the app; returns the ten recovery codes, shown once. */
export async function confirmEnrolment(actor: Principal, code: string, headers: Headers, now = Date.now()): Promise<string[]> {
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId)).limit(1);
  if (!user?.totpSecret || user.totpConfirmedAt) {
    throw new AppError("conflict", "Start the set-up first: there is no pending second factor to confirm.", { subcode: "no_pending_enrolment" });
  }
  const slot = await codeLimiter.attempt(user.id, now);
  if (!slot.allowed) {
    throw new AppError("rate_limited", "Too many wrong codes. Wait a few minutes and try again.", { retryAfterSeconds: Math.ceil(slot.retryAfterMs / 1000) });
  }
  const secret = openSecret(user.totpSecret);
  const step = secret ? matchingTotpStep(secret, code.replace(/\s/g, ""), now) : null;
  if (step === null) throw new AppError("validation_failed", "That code is not right. Type the 6 digits your app shows now.", { subcode: "mfa_code_wrong" });
  await codeLimiter.clear(user.id);
  const codes = newRecoveryCodes();
  const hashes = await Promise.all(codes.map((c) => hash(normalizeRecoveryCode(c)!, recoveryHashOptions)));
  await db.transaction(async (tx) => {
    await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, user.id));
    await tx.insert(mfaRecoveryCodes).values(hashes.map((codeHash) => ({ userId: user.id, codeHash })));
    await tx.update(users).set({ totpConfirmedAt: sql`now()`, totpLastStep: step }).where(eq(users.id, user.id));
  });
  await recordAudit({ actor, action: "auth.mfa_enrolled", targetType: "user", targetId: user.id, headers });
  return codes;
}

export interface SecondFactorStatus {
  /** oidc accounts get their second factor from the identity provider. */
  authMethod: User["authMethod"];
  enrolled: boolean;
  recoveryCodesLeft: number;
}

export async function secondFactorStatus(userId: string): Promise<SecondFactorStatus> {
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  const [{ left }] = await db
    .select({ left: sql<number>`count(*)::int` })
    .from(mfaRecoveryCodes)
    .where(and(eq(mfaRecoveryCodes.userId, userId), isNull(mfaRecoveryCodes.usedAt)));
  const enrolled = Boolean(user && hasSecondFactor(user));
  return { authMethod: user?.authMethod ?? "password", enrolled, recoveryCodesLeft: enrolled ? left : 0 };
}

/** An admin removes a person's second factor (lost phone): their sessions end and they enrol again. */
export async function resetSecondFactor({ actor, userId, headers }: { actor: Principal; userId: string; headers: Headers }): Promise<void> {
  const [updated] = await db
    .update(users)
    .set({ totpSecret: null, totpConfirmedAt: null, totpLastStep: null, sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId))
    .returning({ id: users.id });
  if (!updated) throw new AppError("not_found", "No such user.");
  await db.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, userId));
  await codeLimiter.clear(userId);
  await recordAudit({ actor, action: "user.mfa_reset", targetType: "user", targetId: userId, headers });
}
