import "server-only";
import { eq } from "drizzle-orm";
import { decode } from "next-auth/jwt";
import { db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
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
 * Turns a session token into a principal, re-reading the user so that disabling an account, changing
 * its role or resetting its password takes effect on the next request, not when the token expires.
 */
export async function principalFromSessionToken(token: string | undefined): Promise<Principal | null> {
  if (!token) return null;
  let payload: Awaited<ReturnType<typeof decode>>;
  try {
    payload = await decode({ token, secret: authSecret() });
  } catch {
    return null;
  }
  const userId = typeof payload?.uid === "string" ? payload.uid : undefined;
  if (!userId) return null;
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user || user.disabled || user.sessionVersion !== payload?.sv) return null;
  return {
    kind: "user",
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    mustChangePassword: user.mustChangePassword,
  };
}
