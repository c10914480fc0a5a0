import "server-only";
import crypto from "node:crypto";
import { eq, lt } from "drizzle-orm";
import type { JWT } from "next-auth/jwt";
import { decode } from "next-auth/jwt";
import { z } from "zod";
import { Uuid } from "@/lib/core/uuid-param";
import { db } from "@/lib/db/client";
import { oidcSessions, revokedSessions, users } from "@/lib/db/schema";
import { errorSummary, logger } from "@/lib/log";
import { env } from "@/lib/env";
import { secondFactorRequired } from "./mfa/policy";
import type { Principal } from "./principal";
import { authSecret } from "./secret";

// next-auth names its cookie differently over https; accept both (and chunked ".0" variants are not
// used because our token is small).
export const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

// Any page on the same site can plant a cookie such as "a=%": a value that is not valid percent-encoding
// is kept as it is rather than failing the whole request.
function decodeCookieValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function sessionTokenFromCookieHeader(cookieHeader: string | null): string | undefined {
  if (!cookieHeader) return undefined;
  const jar = new Map<string, string>();
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) jar.set(part.slice(0, eq).trim(), decodeCookieValue(part.slice(eq + 1).trim()));
  }
  for (const name of SESSION_COOKIES) {
    const value = jar.get(name);
    if (value) return value;
  }
  return undefined;
}

/**
 * What this app puts in a session token at sign-in (lib/sign-in/options.ts): user, version, session id,
 * and for single sign-on the time (ms) until which it holds before the person must pass the provider again.
 */
const SessionClaims = z.object({ uid: Uuid, sv: z.number().int(), sid: Uuid, ssoUntil: z.number().int().optional() });
export type SessionClaims = z.infer<typeof SessionClaims>;

/** The claims of a token signed in now: a fresh session id, so that this session alone can be ended. */
export function newSessionClaims(user: { id: string; sv: number; sso?: boolean }, now = Date.now()): SessionClaims {
  return {
    uid: user.id,
    sv: user.sv,
    sid: crypto.randomUUID(),
    ...(user.sso ? { ssoUntil: now + env.OIDC_SESSION_MINUTES * 60_000 } : {}),
  };
}

/**
 * The person a decoded session token stands for, or null when it is no longer good: the account is
 * gone or disabled, its session version moved on (password change or reset, role change, disable), or
 * this session was signed out. Read on every request, so each of those takes effect at once rather
 * than when the token expires.
 */
export async function principalFromSessionClaims(payload: JWT | null | undefined): Promise<Principal | null> {
  const claims = SessionClaims.safeParse(payload);
  if (!claims.success) return null;
  const [row] = await db
    .select({ user: users, revoked: revokedSessions.sessionId })
    .from(users)
    .leftJoin(revokedSessions, eq(revokedSessions.sessionId, claims.data.sid))
    .where(eq(users.id, claims.data.uid))
    .limit(1);
  const user = row?.user;
  if (!user || row.revoked || user.disabled || user.sessionVersion !== claims.data.sv) return null;
  // A single sign-on session is only as good as the provider's word at sign-in: after OIDC_SESSION_MINUTES
  // the person signs in there again, which is where a removed or disabled account is turned away.
  if (claims.data.ssoUntil !== undefined && Date.now() > claims.data.ssoUntil) return null;
  return {
    kind: "user",
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    mustChangePassword: user.mustChangePassword,
    mustEnrolSecondFactor: secondFactorRequired(user, env.MFA_REQUIRED),
    sessionId: claims.data.sid,
  };
}

/** Turns a session token (the cookie's value) into a principal; see principalFromSessionClaims. */
export async function principalFromSessionToken(token: string | undefined): Promise<Principal | null> {
  if (!token) return null;
  let payload: JWT | null;
  try {
    payload = await decode({ token, secret: authSecret() });
  } catch {
    return null;
  }
  return principalFromSessionClaims(payload);
}

/** Sign-out: this session's token is refused from now on, wherever a copy of it is. */
export async function revokeSession(payload: JWT | null | undefined): Promise<void> {
  const claims = SessionClaims.safeParse(payload);
  if (!claims.success) return;
  const exp = typeof payload?.exp === "number" ? payload.exp * 1000 : Date.now() + 366 * 86_400_000;
  try {
    await db.delete(revokedSessions).where(lt(revokedSessions.expiresAt, new Date()));
    await db.delete(oidcSessions).where(eq(oidcSessions.sessionId, claims.data.sid));
    await db
      .insert(revokedSessions)
      .values({ sessionId: claims.data.sid, userId: claims.data.uid, expiresAt: new Date(exp) })
      .onConflictDoNothing();
  } catch (error) {
    // The sign-out itself must still clear the cookie; the log says the revocation did not stick.
    logger.error({ err: errorSummary(error) }, "session revocation failed");
  }
}
