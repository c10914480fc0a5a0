import "server-only";
import { and, asc, eq, ne, sql } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { recordAudit } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/principal";
import { generateOneTimePassword, hashPassword } from "@/lib/auth/passwords";
import { isAdmin } from "@/lib/core/roles";
import { clearSignInFailures } from "@/lib/sign-in/sign-in";
import { db } from "@/lib/db/client";
import { users, type User } from "@/lib/db/schema";
import { createInviteToken } from "./invitations";
import type { CreateUserInput, CredentialMethod, UpdateUserInput } from "./input";

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: User["role"];
  disabled: boolean;
  /** False until an invitation is accepted (no password set yet). */
  hasPassword: boolean;
  mustChangePassword: boolean;
  /** How the person signs in: a local password, or the identity provider (single sign-on). */
  authMethod: User["authMethod"];
  /** A confirmed second factor (local accounts). */
  secondFactor: boolean;
  lastSignInAt: string | null;
  createdAt: string;
}

/** What the admin hands to the person, shown once and never stored in the clear. */
export type Credential =
  | { method: "one_time_password"; password: string }
  | { method: "invitation"; token: string; expiresAt: string }
  | { method: "sso" };

interface Ctx {
  actor: Principal | null;
  headers?: Headers;
}

export function toUserView(u: User): UserView {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: u.disabled,
    hasPassword: u.passwordHash !== null,
    mustChangePassword: u.mustChangePassword,
    authMethod: u.authMethod,
    secondFactor: u.totpConfirmedAt !== null,
    lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
  };
}

export async function listUsers(): Promise<UserView[]> {
  const rows = await db.select().from(users).orderBy(asc(users.email));
  return rows.map(toUserView);
}

async function issueCredential(method: CredentialMethod, userId: string, sessionVersion: number) {
  if (method === "one_time_password") {
    const password = generateOneTimePassword();
    return {
      credential: { method, password } satisfies Credential,
      set: { passwordHash: await hashPassword(password), mustChangePassword: true },
    };
  }
  const { token, expiresAt } = createInviteToken(userId, sessionVersion);
  return {
    credential: { method, token, expiresAt: expiresAt.toISOString() } satisfies Credential,
    // No password until the link is used: an old password stops working at once.
    set: { passwordHash: null, mustChangePassword: false },
  };
}

export async function createUser({ actor, headers, input }: Ctx & { input: CreateUserInput }) {
  const sso = input.method === "sso";
  const [created] = await db
    .insert(users)
    .values({ email: input.email, name: input.name, role: input.role, authMethod: sso ? "oidc" : "password" })
    .onConflictDoNothing({ target: users.email })
    .returning();
  if (!created) throw new AppError("conflict", "A user with this email address already exists.", { subcode: "email_taken" });
  if (input.method === "sso") {
    await recordAudit({ actor, action: "user.create", targetType: "user", targetId: created.id, details: { role: created.role, method: "sso" }, headers });
    return { user: toUserView(created), credential: { method: "sso" } satisfies Credential as Credential };
  }
  const { credential, set } = await issueCredential(input.method, created.id, created.sessionVersion);
  const [user] = await db.update(users).set(set).where(eq(users.id, created.id)).returning();
  await recordAudit({
    actor,
    action: "user.create",
    targetType: "user",
    targetId: user.id,
    details: { role: user.role, method: input.method },
    headers,
  });
  return { user: toUserView(user), credential };
}

/**
 * Role, enabled state and name changes. Admin rows are locked for the length of the transaction, so
 * two admins demoting each other at the same moment cannot both succeed and leave nobody in charge.
 */
export async function updateUser({ actor, headers, userId, input }: Ctx & { userId: string; input: UpdateUserInput }) {
  const { before, after } = await db.transaction(async (tx) => {
    await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, "admin"), eq(users.disabled, false)))
      .for("update");
    const [current] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
    if (!current) throw new AppError("not_found", "No such user.");
    const role = input.role ?? current.role;
    const disabled = input.disabled ?? current.disabled;
    const wasActiveAdmin = isAdmin(current) && !current.disabled;
    if (wasActiveAdmin && (role !== "admin" || disabled)) {
      const [{ others }] = await tx
        .select({ others: sql<number>`count(*)::int` })
        .from(users)
        .where(and(eq(users.role, "admin"), eq(users.disabled, false), ne(users.id, userId)));
      if (others === 0) {
        throw new AppError(
          "conflict",
          `${current.email} is the last active admin and cannot be ${disabled ? "disabled" : "demoted"}. Make another user an admin first.`,
          { subcode: "last_admin" },
        );
      }
    }
    // A role change or a disable ends existing sessions (they carry the old session version).
    const endSessions = role !== current.role || (disabled && !current.disabled);
    const [updated] = await tx
      .update(users)
      .set({
        role,
        disabled,
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(endSessions ? { sessionVersion: sql`${users.sessionVersion} + 1` } : {}),
      })
      .where(eq(users.id, userId))
      .returning();
    return { before: current, after: updated };
  });

  const base = { actor, targetType: "user", targetId: userId, headers };
  if (before.role !== after.role) {
    await recordAudit({ ...base, action: "user.role_change", details: { from: before.role, to: after.role } });
  }
  if (before.disabled !== after.disabled) await recordAudit({ ...base, action: after.disabled ? "user.disable" : "user.enable" });
  if (before.name !== after.name) await recordAudit({ ...base, action: "user.rename" });
  return toUserView(after);
}

/**
 * New one-time password or invitation link; every existing session of the account ends, and a
 * lock-out from failed sign-ins is lifted (the person asking for a reset is often the one locked out).
 */
export async function resetPassword({ actor, headers, userId, method }: Ctx & { userId: string; method: CredentialMethod }) {
  const [target] = await db.select({ authMethod: users.authMethod }).from(users).where(eq(users.id, userId)).limit(1);
  if (target?.authMethod === "oidc") {
    throw new AppError("conflict", "This person signs in through the identity provider and has no password here.", { subcode: "sso_account" });
  }
  const [bumped] = await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId))
    .returning();
  if (!bumped) throw new AppError("not_found", "No such user.");
  const { credential, set } = await issueCredential(method, bumped.id, bumped.sessionVersion);
  const [user] = await db.update(users).set(set).where(eq(users.id, userId)).returning();
  await clearSignInFailures(user.email);
  await recordAudit({ actor, action: "user.password_reset", targetType: "user", targetId: userId, details: { method }, headers });
  return { user: toUserView(user), credential };
}
