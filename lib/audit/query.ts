import "server-only";
import { and, desc, eq, gte, like, lt, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db } from "@/lib/db/client";
import { analyses, apiKeys, auditEvents, legalHolds, shares, users, validationSets } from "@/lib/db/schema";
import type { AuditFilters } from "./input";

export interface AuditRow {
  id: number;
  at: string;
  actorUserId: string | null;
  actorEmail: string | null;
  apiKeyPrefix: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /**
   * What the target is called, when it still exists: a user's email, an analysis' file name, an API key's
   * or a validation set's name, a share by its report's file name, a legal hold by its reason.
   */
  targetName: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

function dayEnd(to: string): Date {
  // A plain date means "through the end of that day" (UTC).
  return /^\d{4}-\d{2}-\d{2}$/.test(to) ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000) : new Date(to);
}

function where(f: Omit<AuditFilters, "limit">): SQL | undefined {
  const c: (SQL | undefined)[] = [];
  if (f.action) c.push(f.action.endsWith(".") ? like(auditEvents.action, `${f.action}%`) : eq(auditEvents.action, f.action));
  if (f.actor) c.push(eq(auditEvents.actorUserId, f.actor));
  if (f.targetType) c.push(eq(auditEvents.targetType, f.targetType));
  if (f.from) c.push(gte(auditEvents.at, new Date(f.from)));
  if (f.to) c.push(lt(auditEvents.at, dayEnd(f.to)));
  if (f.before) c.push(lt(auditEvents.id, f.before));
  return and(...c);
}

const actor = alias(users, "actor");
const targetUser = alias(users, "target_user");
const targetKey = alias(apiKeys, "target_key");
const sharedAnalysis = alias(analyses, "shared_analysis");

/** Newest first, `limit` rows from `before` on. */
export async function queryAudit(f: AuditFilters): Promise<{ rows: AuditRow[]; nextBefore: number | null }> {
  const rows = await db
    .select({
      id: auditEvents.id,
      at: auditEvents.at,
      actorUserId: auditEvents.actorUserId,
      actorEmail: actor.email,
      apiKeyPrefix: apiKeys.prefix,
      action: auditEvents.action,
      targetType: auditEvents.targetType,
      targetId: auditEvents.targetId,
      targetName: sql<string | null>`coalesce(${targetUser.email}, ${analyses.fileName}, ${targetKey.name}, ${validationSets.name}, 'share of ' || ${sharedAnalysis.fileName}, 'hold: ' || ${legalHolds.reason})`,
      ip: auditEvents.ip,
      userAgent: auditEvents.userAgent,
      details: auditEvents.details,
    })
    .from(auditEvents)
    .leftJoin(actor, eq(actor.id, auditEvents.actorUserId))
    .leftJoin(apiKeys, eq(apiKeys.id, auditEvents.actorApiKeyId))
    // Targets are kept as text ids; each kind is looked up in its own table.
    .leftJoin(targetUser, and(eq(auditEvents.targetType, "user"), sql`${targetUser.id}::text = ${auditEvents.targetId}`))
    .leftJoin(analyses, and(eq(auditEvents.targetType, "analysis"), sql`${analyses.id}::text = ${auditEvents.targetId}`))
    .leftJoin(targetKey, and(eq(auditEvents.targetType, "api_key"), sql`${targetKey.id}::text = ${auditEvents.targetId}`))
    .leftJoin(validationSets, and(eq(auditEvents.targetType, "validation_set"), sql`${validationSets.id}::text = ${auditEvents.targetId}`))
    .leftJoin(shares, and(eq(auditEvents.targetType, "share"), sql`${shares.id}::text = ${auditEvents.targetId}`))
    .leftJoin(sharedAnalysis, eq(sharedAnalysis.id, shares.analysisId))
    .leftJoin(legalHolds, and(eq(auditEvents.targetType, "legal_hold"), sql`${legalHolds.id}::text = ${auditEvents.targetId}`))
    .where(where(f))
    .orderBy(desc(auditEvents.id))
    .limit(f.limit + 1);
  const page = rows.slice(0, f.limit).map((r) => ({
    ...r,
    at: r.at.toISOString(),
    apiKeyPrefix: r.apiKeyPrefix ? `cxr_${r.apiKeyPrefix}` : null,
  }));
  return { rows: page, nextBefore: rows.length > f.limit ? page[page.length - 1].id : null };
}

/** Every distinct action recorded so far, for the filter's choices. */
export async function knownActions(): Promise<string[]> {
  const rows = await db.selectDistinct({ action: auditEvents.action }).from(auditEvents).orderBy(auditEvents.action);
  return rows.map((r) => r.action);
}
