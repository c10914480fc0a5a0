import "server-only";
import crypto from "node:crypto";
import { authSecret } from "@/lib/auth/secret";

// Second-factor keys are stored encrypted, so that a copy of the database (a backup, a dump handed to
// support) does not hand out everyone's authenticator. The key is derived from the app secret with
// HKDF under its own label: nothing else encrypted or signed with the app secret can be confused with it.
// Changing AUTH_SECRET therefore also voids enrolled factors (admins reset them; docs/sign-in.md).

const VERSION = "v1";
let cachedKey: { secret: string; key: Buffer } | undefined;

function boxKey(): Buffer {
  const secret = authSecret();
  if (cachedKey?.secret !== secret) {
    cachedKey = { secret, key: Buffer.from(crypto.hkdfSync("sha256", secret, "cxr-assist", "totp-secret-box v1", 32)) };
  }
  return cachedKey.key;
}

/** AES-256-GCM: "v1.<iv>.<tag>.<ciphertext>", each base64url. */
export function sealSecret(plain: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", boxKey(), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

/** The sealed text's plain value, or null when it was sealed under another key or was altered. */
export function openSecret(sealed: string): string | null {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) return null;
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", boxKey(), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
