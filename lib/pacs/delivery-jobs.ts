import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { db } from "@/lib/db/client";
import { clinicalWork } from "@/lib/analyses/purpose";
import { analyses, resultDeliveries, type ResultDelivery } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { insertJobs, type SqlTransaction } from "@/lib/queue/analysis-jobs";
import { DELIVERY_MAX_DELAY_SECONDS, DELIVERY_QUEUE, queueEngine } from "@/lib/queue/boss";

/** Shown for a delivery whose last attempt never reported back. */
export const UNFINISHED_ATTEMPT_REASON = "the last attempt did not finish (its worker stopped during it)";

// The results owed to the PACS are jobs on the job queue (pg-boss retries them with backoff), added
// in the same transaction as what makes them due (a completed analysis, a sign-off). Beside each job a
// row in result_deliveries says how it stands, for the result page and the admin system page.

export interface DeliveryJob {
  analysisId: string;
  reviewVersion: number;
}

export function deliveryEnabled(): boolean {
  return Boolean(env.DICOMWEB_RESULTS_URL);
}

/**
 * The queue engine for a transaction that may owe the PACS results, started before the transaction
 * opens (see insertJobs); null when no PACS is configured.
 */
export async function deliveryEngine(): Promise<PgBoss | null> {
  return deliveryEnabled() ? queueEngine() : null;
}

/**
 * Owes the PACS the results of an analysis of a DICOM file: reviewVersion 0 for the unverified
 * results, a signed-off review version for its verified SR. Nothing when no PACS is configured, the
 * source is not DICOM or the film is a validation set's (not clinical work); once only per version.
 */
export async function addDelivery(boss: PgBoss | null, tx: SqlTransaction, analysisId: string, reviewVersion: number): Promise<void> {
  if (!boss) return;
  const added = (await tx.execute(sql`
    insert into ${resultDeliveries} (analysis_id, review_version)
    select ${analyses.id}, ${reviewVersion} from ${analyses}
    where ${analyses.id} = ${analysisId} and ${analyses.metadata}->>'kind' = 'dicom' and ${clinicalWork()}
    on conflict do nothing
    returning analysis_id`)) as unknown[] | { rows: unknown[] };
  const rows = Array.isArray(added) ? added : added.rows;
  if (rows.length === 0) return;
  await insertJobs(boss, tx, DELIVERY_QUEUE, [{ data: { analysisId, reviewVersion } satisfies DeliveryJob }]);
}

const key = (d: DeliveryJob) => and(eq(resultDeliveries.analysisId, d.analysisId), eq(resultDeliveries.reviewVersion, d.reviewVersion));

export async function markDelivered(d: DeliveryJob, attempt: number): Promise<void> {
  await db.update(resultDeliveries).set({ status: "delivered", attempts: attempt, deliveredAt: sql`now()`, lastError: null }).where(key(d));
}

/**
 * When pg-boss will try again after `attempt` failed ones (retryDelay doubling, capped): shown on the
 * pages only, the queue keeps its own schedule.
 */
function nextAttemptSeconds(attempt: number): number {
  return Math.min(DELIVERY_MAX_DELAY_SECONDS, env.DICOMWEB_RETRY_SECONDS * 2 ** Math.max(0, attempt - 1));
}

/** Records a failed attempt: "failed" once no attempt is left, else still "pending". */
export async function markAttemptFailed(d: DeliveryJob, attempt: number, reason: string, spent: boolean): Promise<void> {
  await db
    .update(resultDeliveries)
    .set({
      status: spent ? "failed" : "pending",
      attempts: attempt,
      lastError: reason.slice(0, 200),
      nextAttemptAt: sql`now() + make_interval(secs => ${nextAttemptSeconds(attempt)})`,
    })
    .where(key(d));
}

const LIVE_JOB_STATES = new Set(["created", "retry", "active"]);

/**
 * A delivery whose job the queue gave up on (it reached the dead-letter queue): "failed" if it still
 * says "pending", which happens when the worker died during the last attempt, so it is not shown as
 * pending for ever and an admin can send it again. Left alone when a newer job for it is on its way
 * (an admin's retry) or its last attempt already recorded how it ended.
 */
export async function markUnfinishedDeliveryFailed(boss: PgBoss, d: DeliveryJob): Promise<void> {
  const jobs = await boss.findJobs<DeliveryJob>(DELIVERY_QUEUE, { data: { analysisId: d.analysisId, reviewVersion: d.reviewVersion } });
  if (jobs.some((j) => LIVE_JOB_STATES.has(j.state))) return;
  await db
    .update(resultDeliveries)
    .set({ status: "failed", lastError: UNFINISHED_ATTEMPT_REASON })
    .where(and(key(d), eq(resultDeliveries.status, "pending")));
}

/** Sends a delivery whose attempts were spent again from the start (an admin's retry): a new job. */
export async function retryFailedDelivery(analysisId: string, reviewVersion: number): Promise<boolean> {
  const boss = await queueEngine();
  return db.transaction(async (tx) => {
    const rows: Pick<ResultDelivery, "analysisId">[] = await tx
      .update(resultDeliveries)
      .set({ status: "pending", attempts: 0, lastError: null, nextAttemptAt: sql`now()` })
      .where(and(key({ analysisId, reviewVersion }), eq(resultDeliveries.status, "failed")))
      .returning({ analysisId: resultDeliveries.analysisId });
    if (rows.length === 0) return false;
    await insertJobs(boss, tx, DELIVERY_QUEUE, [{ data: { analysisId, reviewVersion } satisfies DeliveryJob }]);
    return true;
  });
}
