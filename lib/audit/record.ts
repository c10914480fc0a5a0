import "server-only";
import { db } from "@/lib/db/client";
import { auditEvents } from "@/lib/db/schema";
import { clientAddress } from "@/lib/core/client-ip";
import type { Principal } from "@/lib/auth/principal";
import { errorSummary, logger } from "@/lib/log";

export interface AuditInput {
  actor: Principal | null;
  /** e.g. "auth.sign_in", "analysis.view", "analysis.create", "review.sign_off", "share.create" */
  action: string;
  targetType?: string;
  targetId?: string;
  /** Only non-identifying facts: never patient names or IDs. */
  details?: Record<string, unknown>;
  headers?: Headers;
}


/** The row an audit event is stored as, for a caller that writes it in a transaction of its own. */
export function auditRow(input: AuditInput): typeof auditEvents.$inferInsert {
  return {
    actorUserId: input.actor?.userId ?? null,
    actorApiKeyId: input.actor?.kind === "apiKey" ? input.actor.keyId : null,
    action: input.action,
    targetType: input.targetType ?? null,
    targetId: input.targetId ?? null,
    // Only a validated address: a client-chosen header never reaches the log (nor a CSV opened later).
    ip: input.headers ? clientAddress(input.headers) : null,
    userAgent: input.headers?.get("user-agent")?.slice(0, 300) ?? null,
    details: input.details ?? {},
  };
}

/** Records who did what, when and from where. Auditing never breaks the action it records. */
export async function recordAudit(input: AuditInput): Promise<void> {
  try {
    await db.insert(auditEvents).values(auditRow(input));
  } catch (error) {
    logger.error({ err: errorSummary(error), action: input.action }, "audit write failed");
  }
}
