import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { recordAudit } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/principal";
import { AttemptLimiter } from "@/lib/auth/attempt-limiter";
import { hashPassword, verifyPassword } from "@/lib/auth/passwords";
import { db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { env } from "@/lib/env";

// Someone holding a stolen session could otherwise guess the current password here without limit
// (sign-in is throttled per account; this is the other place a password is checked).
const changeAttempts = new AttemptLimiter(
  "password_change.account",
  env.SIGN_IN_FAILURES_PER_ACCOUNT,
  env.SIGN_IN_WINDOW_MINUTES * 60_000,
);

/**
 * A signed-in person replaces their password (e.g. the one-time password an admin gave them). Every
 * session of the account ends, this one included: they sign in again with the new password.
 */
export async function changeOwnPassword({
  actor,
  currentPassword,
  newPassword,
  headers,
}: {
  actor: Principal;
  currentPassword: string;
  newPassword: string;
  headers?: Headers;
}): Promise<void> {
  // A slot is taken before the (slow) check, so parallel guesses cannot overrun the limit.
  const slot = await changeAttempts.attempt(actor.userId);
  if (!slot.allowed) {
    const retryAfterSeconds = Math.ceil(slot.retryAfterMs / 1000);
    await recordAudit({ actor, action: "user.password_change_throttled", targetType: "user", targetId: actor.userId, details: { retryAfterSeconds }, headers });
    throw new AppError("rate_limited", `Too many wrong current passwords. Try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`, {
      retryAfterSeconds,
    });
  }
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId)).limit(1);
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
    await recordAudit({ actor, action: "user.password_change_failed", targetType: "user", targetId: actor.userId, headers });
    throw new AppError("validation_failed", "The current password is not right.", { subcode: "wrong_password" });
  }
  await changeAttempts.clear(actor.userId);
  if (currentPassword === newPassword) throw new AppError("validation_failed", "Choose a password different from the current one.");
  const [updated] = await db
    .update(users)
    .set({ passwordHash: await hashPassword(newPassword), mustChangePassword: false, sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(and(eq(users.id, user.id), eq(users.sessionVersion, user.sessionVersion)))
    .returning({ id: users.id });
  if (!updated) throw new AppError("conflict", "The account changed meanwhile (e.g. an admin reset it). Sign in again.");
  await recordAudit({ actor, action: "user.password_change", targetType: "user", targetId: user.id, headers });
}
