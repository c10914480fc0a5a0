import "server-only";
import { fromPglite, PgBoss } from "pg-boss";
import { dbHandle } from "@/lib/db/client";
import { env } from "@/lib/env";
import { errorSummary, logger } from "@/lib/log";

// The job queue engine (pg-boss), one per process, on the app's database: its own pool on PostgreSQL,
// the app's one embedded handle on PGlite (which must never be opened twice in a process). Jobs are
// inserted through the caller's transaction (lib/queue/analysis-jobs.ts), so an upload and its job
// commit together, as do a completed analysis or a sign-off and the delivery of its results to the PACS.

/** Analyses to run: the job id is the analysis id. */
export const ANALYSIS_QUEUE = "analysis";
/**
 * Where pg-boss moves an analysis job whose transient retries (QUEUE_TRANSIENT_RETRIES) are spent: it is
 * queued again there as delayed, never failed (lib/queue/delayed.ts).
 */
export const ANALYSIS_DEAD_QUEUE = "analysis-dead";
/**
 * Attempts per analysis that failed because of the film (or the model on that film: a decode that ran
 * out of time, an image thread that died on it, an inference error) before it ends `failed`. Worker
 * deaths and database or storage outages are not attempts (docs/storage-and-queue.md).
 */
export const ANALYSIS_ATTEMPTS = 3;
/** Results owed to the PACS (lib/pacs/delivery-jobs.ts), retried by pg-boss with exponential backoff. */
export const DELIVERY_QUEUE = "pacs-delivery";
/** Where pg-boss moves a delivery job it gave up on, among them one whose worker died on the last attempt. */
export const DELIVERY_DEAD_QUEUE = "pacs-delivery-dead";
/**
 * Segmentations of frontal films (lib/analyses/anatomy-jobs.ts), queued when the findings are saved: a
 * job of their own so the findings never wait for a model ~100 times slower than the classifier.
 */
export const ANATOMY_QUEUE = "anatomy";
/** Where pg-boss moves an anatomy job it gave up on (its worker died on the last attempt). */
export const ANATOMY_DEAD_QUEUE = "anatomy-dead";
/** Tries per segmentation before it is marked failed (the analysis itself is never affected). */
export const ANATOMY_ATTEMPTS = 3;
/** The longest wait between two delivery attempts. */
export const DELIVERY_MAX_DELAY_SECONDS = 3600;

const globalForBoss = globalThis as unknown as { cxrBoss?: Promise<PgBoss> };

async function open(): Promise<PgBoss> {
  const { kind, pglite } = dbHandle();
  const lease = env.QUEUE_LEASE_SECONDS;
  const common = {
    // Finds jobs whose worker stopped answering (heartbeat older than the lease) often enough that a
    // dead worker's jobs are picked up again within about one and a half leases.
    superviseIntervalSeconds: Math.max(1, Math.round(lease / 2)),
    monitorIntervalSeconds: 10,
    queueCacheIntervalSeconds: 10,
    // Cron schedules (the retention job, lib/lifecycle/retention-job.ts) are kept by the queue engine.
    schedule: true,
    useListenNotify: true,
    openTelemetry: { enabled: false },
  } as const;
  const boss =
    kind === "pglite"
      ? new PgBoss({ ...common, db: fromPglite(pglite!), backend: "pglite" })
      : new PgBoss({ ...common, connectionString: env.DATABASE_URL!, max: 4, application_name: "cxr-queue" });
  // Without a listener an 'error' event would end the process; a lost database is logged and retried.
  boss.on("error", (error) => logger.warn({ err: errorSummary(error) }, "job queue: database error (retrying)"));
  await boss.start();
  // Retries are for our side's failures (the film's own are counted on the analysis, run-analyses.ts):
  // exponential backoff, capped, so a storage or database outage of minutes is ridden out.
  const queue = {
    retryLimit: env.QUEUE_TRANSIENT_RETRIES,
    retryDelay: env.QUEUE_RETRY_SECONDS,
    retryBackoff: true,
    retryDelayMax: env.QUEUE_RETRY_MAX_SECONDS,
    heartbeatSeconds: lease,
    expireInSeconds: 15 * 60,
    deleteAfterSeconds: 24 * 60 * 60,
    notify: true,
  };
  const dead = { ...queue, retryLimit: 5, retryBackoff: true };
  const main = { ...queue, deadLetter: ANALYSIS_DEAD_QUEUE };
  // createQueue leaves an existing queue as it was: updateQueue applies this deployment's settings.
  // Both also fill pg-boss's queue cache, so inserting a job later needs no query outside the caller's
  // transaction (which on the single-connection embedded database would wait for it forever).
  await boss.createQueue(ANALYSIS_DEAD_QUEUE, dead);
  await boss.updateQueue(ANALYSIS_DEAD_QUEUE, dead);
  await boss.createQueue(ANALYSIS_QUEUE, main);
  await boss.updateQueue(ANALYSIS_QUEUE, main);
  // A PACS that is down is waited for: DICOMWEB_RETRY_SECONDS, doubling up to an hour, for
  // DICOMWEB_RESULTS_ATTEMPTS attempts in all. Kept a week, so the admin page can still explain them.
  const delivery = {
    retryLimit: env.DICOMWEB_RESULTS_ATTEMPTS - 1,
    retryDelay: env.DICOMWEB_RETRY_SECONDS,
    retryBackoff: true,
    retryDelayMax: DELIVERY_MAX_DELAY_SECONDS,
    expireInSeconds: 5 * 60,
    deleteAfterSeconds: 7 * 24 * 60 * 60,
    notify: true,
    deadLetter: DELIVERY_DEAD_QUEUE,
  };
  await boss.createQueue(DELIVERY_DEAD_QUEUE, dead);
  await boss.updateQueue(DELIVERY_DEAD_QUEUE, dead);
  await boss.createQueue(DELIVERY_QUEUE, delivery);
  await boss.updateQueue(DELIVERY_QUEUE, delivery);
  // A segmentation takes tens of seconds on a CPU (minutes behind a busy classifier): a long lease.
  const anatomy = { ...queue, retryLimit: ANATOMY_ATTEMPTS - 1, expireInSeconds: 30 * 60, deadLetter: ANATOMY_DEAD_QUEUE };
  await boss.createQueue(ANATOMY_DEAD_QUEUE, dead);
  await boss.updateQueue(ANATOMY_DEAD_QUEUE, dead);
  await boss.createQueue(ANATOMY_QUEUE, anatomy);
  await boss.updateQueue(ANATOMY_QUEUE, anatomy);
  return boss;
}

/** The started queue engine of this process (starting it, and installing its schema, on first call). */
export function queueEngine(): Promise<PgBoss> {
  globalForBoss.cxrBoss ??= open().catch((error) => {
    globalForBoss.cxrBoss = undefined;
    throw error;
  });
  return globalForBoss.cxrBoss;
}

/** Stops the engine: with `graceful`, its workers finish their jobs first (up to `timeoutMs`). */
export async function stopQueueEngine(timeoutMs = 30_000): Promise<void> {
  const pending = globalForBoss.cxrBoss;
  globalForBoss.cxrBoss = undefined;
  if (!pending) return;
  const boss = await pending.catch(() => null);
  await boss?.stop({ graceful: true, timeout: timeoutMs, close: true });
}
