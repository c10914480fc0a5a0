import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { AppError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/principal";
import { hashPassword, verifyPassword } from "@/lib/auth/passwords";
import { db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";

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
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId)).limit(1);
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
    await recordAudit({ actor, action: "user.password_change_failed", targetType: "user", targetId: actor.userId, headers });
    throw new AppError("validation_failed", "The current password is not right.", { subcode: "wrong_password" });
  }
  if (currentPassword === newPassword) throw new AppError("validation_failed", "Choose a password different from the current one.");
  const [updated] = await db
    .update(users)
    .set({ passwordHash: await hashPassword(newPassword), mustChangePassword: false, sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(and(eq(users.id, user.id), eq(users.sessionVersion, user.sessionVersion)))
    .returning({ id: users.id });
  if (!updated) throw new AppError("conflict", "The account changed meanwhile (e.g. an admin reset it). Sign in again.");
  await recordAudit({ actor, action: "user.password_change", targetType: "user", targetId: user.id, headers });
}
