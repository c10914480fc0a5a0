import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { recordAudit } from "@/lib/audit/record";
import { hashPassword } from "@/lib/auth/passwords";
import { userPrincipal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { readInviteToken } from "./invitations";

/** Sets the password of an invited (or reset) account. The link works once: the session version moves on. */
export async function acceptInvitation({ token, password, headers }: { token: string; password: string; headers?: Headers }) {
  const check = readInviteToken(token);
  if (!check.ok) {
    throw check.reason === "expired"
      ? new AppError("gone", "This link has expired. Ask an administrator for a new one.", { subcode: "invitation_expired" })
      : new AppError("bad_request", "This link is not valid. Copy the whole link from the message you received.", {
          subcode: "invitation_invalid",
        });
  }
  const { uid, sv } = check.payload;
  const passwordHash = await hashPassword(password);
  const [user] = await db
    .update(users)
    .set({ passwordHash, mustChangePassword: false, sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(and(eq(users.id, uid), eq(users.sessionVersion, sv), eq(users.disabled, false)))
    .returning();
  if (!user) {
    throw new AppError("gone", "This link has already been used or was replaced by a newer one. Ask an administrator for a new one.", {
      subcode: "invitation_used",
    });
  }
  await recordAudit({
    actor: userPrincipal(user),
    action: "user.invitation_accepted",
    targetType: "user",
    targetId: user.id,
    headers,
  });
  return { email: user.email };
}
