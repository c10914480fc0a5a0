import "server-only";
import crypto from "node:crypto";
import { authSecret } from "@/lib/auth/secret";
import { env } from "@/lib/env";
import { sharePath } from "./token";

// After a right access code the browser gets a signed cookie scoped to that one link's path, so the
// page, its images and its PDF open without asking again. It names the share (not the patient), carries
// its own expiry, and is useless for any other share; revoking or expiring the share still wins.
export const SHARE_ACCESS_COOKIE = "cxr_share_access";
const MAX_AGE_SECONDS = 12 * 3600;

function mac(shareId: string, exp: number): string {
  return crypto.createHmac("sha256", authSecret()).update(`share-access|${shareId}|${exp}`).digest("base64url");
}

export function signShareAccess(shareId: string, shareExpiresAt: Date, now = Date.now()): { value: string; maxAge: number } {
  const exp = Math.floor(Math.min(now / 1000 + MAX_AGE_SECONDS, shareExpiresAt.getTime() / 1000));
  return { value: `${exp}.${mac(shareId, exp)}`, maxAge: Math.max(0, exp - Math.floor(now / 1000)) };
}

export function verifyShareAccess(value: string | undefined, shareId: string, now = Date.now()): boolean {
  if (!value) return false;
  const [expText, given] = value.split(".");
  const exp = Number(expText);
  if (!Number.isInteger(exp) || !given || exp * 1000 <= now) return false;
  const expected = Buffer.from(mac(shareId, exp));
  const actual = Buffer.from(given);
  return expected.length === actual.length && crypto.timingSafeEqual(expected, actual);
}

export function shareAccessSetCookie(token: string, signed: { value: string; maxAge: number }): string {
  const secure = env.SECURE_COOKIES || env.PUBLIC_URL?.startsWith("https:");
  return [
    `${SHARE_ACCESS_COOKIE}=${signed.value}`,
    `Path=${sharePath(token)}`,
    `Max-Age=${signed.maxAge}`,
    "HttpOnly",
    "SameSite=Lax",
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

export function shareAccessFromCookieHeader(cookieHeader: string | null): string | undefined {
  for (const part of (cookieHeader ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === SHARE_ACCESS_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}
