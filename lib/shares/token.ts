import crypto from "node:crypto";

// A share link's token is the credential itself: 32 random bytes (256 bits) in base64url, so guessing
// one is hopeless and no slow hash is needed. Only its SHA-256 is stored; the link is shown once.
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function generateShareToken(): string {
  return crypto.randomBytes(TOKEN_BYTES).toString("base64url");
}

export function hashShareToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/** Cheap shape check before any database work: a malformed token is simply an unknown link. */
export function isWellFormedShareToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

export function sharePath(token: string): string {
  return `/share/${token}`;
}
