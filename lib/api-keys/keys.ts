import "server-only";
import crypto from "node:crypto";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { db, preparedOnce } from "@/lib/db/client";
import { apiKeys, users } from "@/lib/db/schema";
import { AppError } from "@/lib/core/errors";
import { apiScopes, type ApiScope, type Principal } from "../auth/principal";

// Key format: "cxr_<prefix>_<secret>". The prefix is stored in clear so people can tell keys apart;
// the whole key is stored only as a SHA-256 hash (the secret has 192 bits of entropy, so a slow
// password hash would add latency to every API call without adding safety).
const KEY_PATTERN = /^cxr_([a-z0-9]{10})_([A-Za-z0-9_-]{32})$/;

export function hashApiKey(key: string): string {
  return crypto.createHash("sha256").update(key).digest("hex");
}

export function generateApiKey(): { key: string; prefix: string; secretHash: string } {
  const prefix = crypto.randomBytes(8).toString("hex").slice(0, 10);
  const secret = crypto.randomBytes(24).toString("base64url");
  const key = `cxr_${prefix}_${secret}`;
  return { key, prefix, secretHash: hashApiKey(key) };
}

// Every API request looks its key up: the statement is built once (lib/db/client.ts).
const keyByPrefix = preparedOnce((d) =>
  d
    .select({ key: apiKeys, owner: users })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.ownerId))
    .where(eq(apiKeys.prefix, sql.placeholder("prefix")))
    .limit(1)
    .prepare("api_key_by_prefix"),
);

/**
 * Resolves `Authorization: Bearer <key>`. Returns null when no bearer credential is present; throws
 * 401 for one that is malformed, unknown, revoked, expired or whose owner is disabled.
 */
export async function principalFromApiKey(authorization: string | null): Promise<Principal | null> {
  if (!authorization) return null;
  const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  if (!match) throw new AppError("unauthorized", "Use 'Authorization: Bearer <API key>'.");
  const key = match[1].trim();
  const parts = KEY_PATTERN.exec(key);
  if (!parts) throw new AppError("unauthorized", "The API key is malformed.");
  const [row] = await keyByPrefix().execute({ prefix: parts[1] });
  const expected = row ? Buffer.from(row.key.secretHash, "hex") : Buffer.alloc(32);
  const given = Buffer.from(hashApiKey(key), "hex");
  if (!row || !crypto.timingSafeEqual(expected, given)) throw new AppError("unauthorized", "The API key is not valid.");
  if (row.key.revokedAt) throw new AppError("unauthorized", "The API key has been revoked.");
  if (row.key.expiresAt && row.key.expiresAt.getTime() <= Date.now()) {
    throw new AppError("unauthorized", "The API key has expired.");
  }
  if (row.owner.disabled) throw new AppError("unauthorized", "The API key's owner is disabled.");
  await touchLastUsed(row.key);
  return {
    kind: "apiKey",
    keyId: row.key.id,
    userId: row.owner.id,
    email: row.owner.email,
    name: row.key.name,
    role: row.owner.role,
    scopes: row.key.scopes.filter((s): s is ApiScope => (apiScopes as readonly string[]).includes(s)),
    rateLimitPerMinute: row.key.rateLimitPerMinute,
  };
}

/**
 * "Last used" to the minute: rewriting the key's row on every request made it the hottest row in the
 * database under load. The row just read says whether a minute has passed; the condition in the
 * statement keeps several instances from all writing it in the same minute.
 */
async function touchLastUsed(key: { id: string; lastUsedAt: Date | null }): Promise<void> {
  if (key.lastUsedAt && Date.now() - key.lastUsedAt.getTime() < 60_000) return;
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiKeys.id, key.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`))));
}
