import "server-only";
import { and, desc, eq, isNull } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { recordAudit } from "@/lib/audit/record";
import { generateApiKey } from "@/lib/api-keys/keys";
import type { Principal } from "@/lib/auth/principal";
import { isStaff } from "@/lib/core/roles";
import { db } from "@/lib/db/client";
import { apiKeys, users, type ApiKey } from "@/lib/db/schema";
import type { CreateApiKeyParsed, UpdateApiKeyInput } from "./input";

export interface ApiKeyView {
  id: string;
  /** The visible start of the key, e.g. "cxr_3f9a0c1d2e". */
  prefix: string;
  name: string;
  owner: { id: string; email: string; role: string };
  scopes: string[];
  expiresAt: string | null;
  /** Written at most once a minute. */
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** Requests per minute set on this key; null: the server's default (RATE_LIMIT_PER_KEY); 0: none. */
  rateLimitPerMinute: number | null;
  createdAt: string;
  status: "active" | "expired" | "revoked";
}

interface Ctx {
  actor: Principal | null;
  headers?: Headers;
  /** Recorded in the audit details, e.g. "cli" for the operator command. */
  via?: string;
}

function statusOf(k: ApiKey, now = Date.now()): ApiKeyView["status"] {
  if (k.revokedAt) return "revoked";
  if (k.expiresAt && k.expiresAt.getTime() <= now) return "expired";
  return "active";
}

function toView(k: ApiKey, owner: { id: string; email: string; role: string }): ApiKeyView {
  return {
    id: k.id,
    prefix: `cxr_${k.prefix}`,
    name: k.name,
    owner,
    scopes: k.scopes,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    rateLimitPerMinute: k.rateLimitPerMinute,
    createdAt: k.createdAt.toISOString(),
    status: statusOf(k),
  };
}

/**
 * Creates a key and returns its secret: the only time it exists outside the caller's hands (a SHA-256
 * hash is stored). Owners are staff: the v1 API serves the team's analyses, which patients never see.
 */
export async function createApiKey({ actor, headers, via, input }: Ctx & { input: CreateApiKeyParsed }) {
  const [owner] = await db.select().from(users).where(eq(users.email, input.ownerEmail)).limit(1);
  if (!owner) throw new AppError("unprocessable", `No user has the email address ${input.ownerEmail}.`, { subcode: "unknown_owner" });
  if (owner.disabled) throw new AppError("unprocessable", "The owner's account is disabled.", { subcode: "owner_disabled" });
  if (!isStaff(owner)) {
    throw new AppError("unprocessable", "API keys belong to admins or radiologists; patients cannot own one.", {
      subcode: "owner_not_staff",
    });
  }
  const { key, prefix, secretHash } = generateApiKey();
  const [row] = await db
    .insert(apiKeys)
    .values({
      prefix,
      secretHash,
      name: input.name,
      ownerId: owner.id,
      scopes: input.scopes,
      expiresAt: input.expiresAt ?? null,
      rateLimitPerMinute: input.rateLimitPerMinute ?? null,
    })
    .returning();
  await recordAudit({
    actor,
    action: "api_key.create",
    targetType: "api_key",
    targetId: row.id,
    details: {
      prefix: `cxr_${prefix}`,
      ownerId: owner.id,
      scopes: input.scopes,
      expiresAt: row.expiresAt?.toISOString() ?? null,
      rateLimitPerMinute: row.rateLimitPerMinute,
      ...(via ? { via } : {}),
    },
    headers,
  });
  return { key, apiKey: toView(row, { id: owner.id, email: owner.email, role: owner.role }) };
}

export async function listApiKeys(): Promise<ApiKeyView[]> {
  const rows = await db
    .select({ key: apiKeys, owner: { id: users.id, email: users.email, role: users.role } })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.ownerId))
    .orderBy(desc(apiKeys.createdAt));
  return rows.map((r) => toView(r.key, r.owner));
}

/** Revoking is final and takes effect on the key's next request. Revoking twice is a 409. */
export async function revokeApiKey({ actor, headers, id }: Ctx & { id: string }) {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning();
  if (!row) {
    const [existing] = await db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
    if (!existing) throw new AppError("not_found", "No such API key.");
    throw new AppError("conflict", "This API key is already revoked.", { subcode: "already_revoked" });
  }
  const [owner] = await db.select({ id: users.id, email: users.email, role: users.role }).from(users).where(eq(users.id, row.ownerId));
  await recordAudit({ actor, action: "api_key.revoke", targetType: "api_key", targetId: id, details: { prefix: `cxr_${row.prefix}` }, headers });
  return toView(row, owner);
}

/** Sets the key's own rate limit (null: back to the server's default); applies from its next minute. */
export async function setApiKeyRateLimit({ actor, headers, id, input }: Ctx & { id: string; input: UpdateApiKeyInput }) {
  const [before] = await db.select({ limit: apiKeys.rateLimitPerMinute }).from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
  if (!before) throw new AppError("not_found", "No such API key.");
  const [row] = await db.update(apiKeys).set({ rateLimitPerMinute: input.rateLimitPerMinute }).where(eq(apiKeys.id, id)).returning();
  const [owner] = await db.select({ id: users.id, email: users.email, role: users.role }).from(users).where(eq(users.id, row.ownerId));
  await recordAudit({
    actor,
    action: "api_key.set_rate_limit",
    targetType: "api_key",
    targetId: id,
    details: { prefix: `cxr_${row.prefix}`, from: before.limit, to: row.rateLimitPerMinute },
    headers,
  });
  return toView(row, owner);
}
