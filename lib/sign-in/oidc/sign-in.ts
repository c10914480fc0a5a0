import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { users, type User } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { userPrincipal } from "@/lib/auth/principal";
import type { SignedInUser } from "../sign-in";
import type { OidcProfile } from "./provider";
import { claimValues, roleFromClaims } from "./role-claims";
import type { SsoRefusal } from "./refusals";

export type OidcSignIn = { ok: true; user: SignedInUser } | { ok: false; reason: SsoRefusal };

/**
 * Decides who a person the identity provider vouched for is here: the account bound to their subject,
 * else an account an admin made for single sign-on with their email (bound now), else a new account
 * (OIDC_PROVISIONING=auto). The role always comes from the provider's claim at this sign-in; a person
 * whose claim maps to no role is refused. Every outcome is audited with the provider's subject (the
 * audit log is the one place it is kept besides the account itself).
 */
export async function resolveOidcSignIn(profile: OidcProfile, headers: Headers): Promise<OidcSignIn> {
  const subject = profile.id;
  const refuse = async (reason: SsoRefusal, targetId?: string): Promise<OidcSignIn> => {
    await recordAudit({
      actor: null,
      action: "auth.sso_refused",
      targetType: "user",
      targetId,
      details: { reason, subject, claim: env.OIDC_ROLE_CLAIM, values: claimValues(profile.claims, env.OIDC_ROLE_CLAIM).slice(0, 20) },
      headers,
    });
    return { ok: false, reason };
  };

  const role = roleFromClaims(profile.claims, env.OIDC_ROLE_CLAIM, env.OIDC_ROLE_MAP);
  let [user]: (User | undefined)[] = await db.select().from(users).where(eq(users.oidcSubject, subject)).limit(1);
  if (!role) return refuse("no_role", user?.id);

  if (!user && profile.email) {
    const [byEmail] = await db.select().from(users).where(eq(users.email, profile.email)).limit(1);
    if (byEmail && (byEmail.authMethod !== "oidc" || byEmail.oidcSubject !== null)) return refuse("email_in_use", byEmail.id);
    if (byEmail) {
      // Pre-provisioned by an admin: bound to this subject at its first sign-in (only if still unbound).
      [user] = await db
        .update(users)
        .set({ oidcSubject: subject })
        .where(and(eq(users.id, byEmail.id), isNull(users.oidcSubject)))
        .returning();
      if (!user) return refuse("email_in_use", byEmail.id);
    }
  }
  if (!user) {
    if (env.OIDC_PROVISIONING !== "auto") return refuse("not_provisioned");
    if (!profile.email) return refuse("no_email");
    [user] = await db
      .insert(users)
      .values({ email: profile.email, name: profile.name.slice(0, 200), role, authMethod: "oidc", oidcSubject: subject })
      .onConflictDoNothing()
      .returning();
    if (!user) return refuse("email_in_use");
    await recordAudit({ actor: null, action: "user.create", targetType: "user", targetId: user.id, details: { role, method: "oidc", subject }, headers });
  }
  if (user.disabled) return refuse("disabled", user.id);

  if (user.role !== role) {
    // The provider is the source of roles for these accounts: a change there applies now, and the
    // account's other sessions (made under the old role) end.
    const [changed] = await db
      .update(users)
      .set({ role, sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, user.id))
      .returning();
    await recordAudit({
      actor: null,
      action: "user.role_change",
      targetType: "user",
      targetId: user.id,
      details: { from: user.role, to: role, source: "oidc", subject },
      headers,
    });
    user = changed;
  }
  const name = profile.name.slice(0, 200);
  await db
    .update(users)
    .set({ lastSignInAt: sql`now()`, ...(name && name !== user.name ? { name } : {}) })
    .where(eq(users.id, user.id));
  await recordAudit({
    actor: userPrincipal(user),
    action: "auth.sign_in",
    targetType: "user",
    targetId: user.id,
    details: { method: "oidc", subject },
    headers,
  });
  return { ok: true, user: { id: user.id, email: user.email, name: name || user.name, role: user.role, sv: user.sessionVersion } };
}
