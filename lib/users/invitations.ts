import "server-only";
import crypto from "node:crypto";
import { authSecret } from "@/lib/auth/secret";
import { env } from "@/lib/env";

// Invitation (and password-reset) links carry a signed token instead of a stored one: user id, the
// account's session version and an expiry, HMAC-signed with the auth secret. Setting the password
// bumps the session version, so a link works once; a newer reset, a disable or a role change (which
// also bump it) void older links. The token travels in the URL fragment (/invite#token), which
// browsers never send to servers, so it stays out of access logs and Referer headers.

interface InvitePayload {
  uid: string;
  sv: number;
  exp: number;
}

function sign(body: string): string {
  return crypto.createHmac("sha256", authSecret()).update(`invite:${body}`).digest("base64url");
}

export function createInviteToken(userId: string, sessionVersion: number, now = Date.now()): { token: string; expiresAt: Date } {
  const exp = now + env.INVITE_LINK_DAYS * 86_400_000;
  const body = Buffer.from(JSON.stringify({ uid: userId, sv: sessionVersion, exp } satisfies InvitePayload)).toString("base64url");
  return { token: `${body}.${sign(body)}`, expiresAt: new Date(exp) };
}

export type InviteCheck = { ok: true; payload: InvitePayload } | { ok: false; reason: "malformed" | "expired" };

export function readInviteToken(token: string, now = Date.now()): InviteCheck {
  const [body, mac, extra] = token.split(".");
  if (!body || !mac || extra !== undefined) return { ok: false, reason: "malformed" };
  const expected = Buffer.from(sign(body));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return { ok: false, reason: "malformed" };
  let payload: InvitePayload;
  try {
    payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as InvitePayload;
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (typeof payload.uid !== "string" || typeof payload.sv !== "number" || typeof payload.exp !== "number") {
    return { ok: false, reason: "malformed" };
  }
  if (payload.exp <= now) return { ok: false, reason: "expired" };
  return { ok: true, payload };
}

/** The link an admin hands over, on the app's public address (lib/api/public-url.ts). */
export function inviteUrl(token: string, baseUrl: string): string {
  return `${baseUrl}/invite#${token}`;
}
