import "server-only";
import { and, asc, eq, lte, sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { analyses, resultDeliveries, type ResultDelivery } from "@/lib/db/schema";
import { env } from "@/lib/env";

// The results owed to the PACS, durable in PostgreSQL: a delivery is added in the same transaction as
// what makes it due (a completed analysis, a sign-off), claimed by one worker at a time with a lease,
// retried with exponential backoff, and kept until delivered. The analysis never waits for it.

/** What a transaction handle must offer to carry the insert (drizzle's `tx` or `db`). */
interface Executor {
  execute: typeof db.execute;
}

/** A claimed delivery is not picked again for this long, unless its worker reports back first. */
const LEASE_SECONDS = 300;
const MAX_DELAY_SECONDS = 3600;

export function deliveryEnabled(): boolean {
  return Boolean(env.DICOMWEB_RESULTS_URL);
}

/**
 * Owes the PACS the results of an analysis of a DICOM file: reviewVersion 0 for the unverified
 * results, a signed-off review version for its verified SR. Nothing when no PACS is configured or the
 * source is not DICOM; once only per version.
 */
export async function addDelivery(tx: Executor, analysisId: string, reviewVersion: number): Promise<void> {
  if (!deliveryEnabled()) return;
  await tx.execute(sql`
    insert into ${resultDeliveries} (analysis_id, review_version)
    select ${analyses.id}, ${reviewVersion} from ${analyses}
    where ${analyses.id} = ${analysisId} and ${analyses.metadata}->>'kind' = 'dicom'
    on conflict do nothing`);
}

/** Claims up to `limit` due deliveries (oldest first); each is leased to the caller. */
export async function claimDue(limit: number): Promise<ResultDelivery[]> {
  const due = db
    .select({ analysisId: resultDeliveries.analysisId, reviewVersion: resultDeliveries.reviewVersion })
    .from(resultDeliveries)
    .where(and(eq(resultDeliveries.status, "pending"), lte(resultDeliveries.nextAttemptAt, sql`now()`)))
    .orderBy(asc(resultDeliveries.nextAttemptAt))
    .limit(limit)
    .for("update", { skipLocked: true });
  return db
    .update(resultDeliveries)
    .set({ nextAttemptAt: sql`now() + make_interval(secs => ${LEASE_SECONDS})`, attempts: sql`${resultDeliveries.attempts} + 1` })
    .where(sql`(${resultDeliveries.analysisId}, ${resultDeliveries.reviewVersion}) in (${due})`)
    .returning();
}

const key = (d: Pick<ResultDelivery, "analysisId" | "reviewVersion">) =>
  and(eq(resultDeliveries.analysisId, d.analysisId), eq(resultDeliveries.reviewVersion, d.reviewVersion));

export async function markDelivered(d: ResultDelivery): Promise<void> {
  await db.update(resultDeliveries).set({ status: "delivered", deliveredAt: sql`now()`, lastError: null }).where(key(d));
}

/** Seconds until the next attempt after `attempts` failed ones: doubling, capped at an hour. */
export function backoffSeconds(attempts: number): number {
  return Math.min(MAX_DELAY_SECONDS, env.DICOMWEB_RETRY_SECONDS * 2 ** Math.max(0, attempts - 1));
}

export async function markFailed(d: ResultDelivery, reason: string, retryable: boolean): Promise<void> {
  const spent = !retryable || d.attempts >= env.DICOMWEB_RESULTS_ATTEMPTS;
  await db
    .update(resultDeliveries)
    .set({
      status: spent ? "failed" : "pending",
      lastError: reason.slice(0, 200),
      nextAttemptAt: sql`now() + make_interval(secs => ${backoffSeconds(d.attempts)})`,
    })
    .where(key(d));
}

/** Seconds until the next pending delivery is due, or null when none is pending. */
export async function secondsUntilNextDue(): Promise<number | null> {
  const [row] = await db
    .select({ wait: sql<number>`greatest(0, extract(epoch from min(${resultDeliveries.nextAttemptAt}) - now()))::float8` })
    .from(resultDeliveries)
    .where(eq(resultDeliveries.status, "pending"));
  return row?.wait === null || row?.wait === undefined ? null : Number(row.wait);
}

/** Sends a delivery whose attempts were spent again from the start (an admin's retry). */
export async function retryFailedDelivery(analysisId: string, reviewVersion: number): Promise<boolean> {
  const rows = await db
    .update(resultDeliveries)
    .set({ status: "pending", attempts: 0, nextAttemptAt: sql`now()` })
    .where(and(key({ analysisId, reviewVersion }), eq(resultDeliveries.status, "failed")))
    .returning({ analysisId: resultDeliveries.analysisId });
  return rows.length > 0;
}
