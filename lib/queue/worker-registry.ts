import "server-only";
import { and, desc, gt, isNull, sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { queueWorkers, type QueueWorker } from "@/lib/db/schema";
import { errorSummary, logger } from "@/lib/log";

// Each worker writes a heartbeat row every few seconds with what it has done, so any process (readiness,
// metrics, the admin page) can tell which workers are attached and how fast they go.

const HEARTBEAT_MS = 5_000;
/** A worker not seen for this long is taken for gone. */
export const WORKER_GONE_SECONDS = 30;

export interface WorkerStats {
  jobsDone: number;
  batches: number;
  lastBatchSize: number;
  /** Epoch ms of each analysis finished in the last minute, for the rate. */
  recent: number[];
}

export function newWorkerStats(): WorkerStats {
  return { jobsDone: 0, batches: 0, lastBatchSize: 0, recent: [] };
}

export function recordBatch(stats: WorkerStats, size: number, finished: number): void {
  const now = Date.now();
  stats.batches++;
  stats.lastBatchSize = size;
  stats.jobsDone += finished;
  for (let i = 0; i < finished; i++) stats.recent.push(now);
}

function perSecond(stats: WorkerStats): number {
  const since = Date.now() - 60_000;
  stats.recent = stats.recent.filter((t) => t >= since);
  return stats.recent.length / 60;
}

async function beat(id: string, kind: string, hostname: string, stats: WorkerStats, stopped = false): Promise<void> {
  const values = {
    jobsDone: stats.jobsDone,
    batches: stats.batches,
    lastBatchSize: stats.lastBatchSize,
    perSecond: perSecond(stats),
    lastSeenAt: sql`now()`,
    stoppedAt: stopped ? sql`now()` : null,
  };
  await db
    .insert(queueWorkers)
    .values({ id, kind, hostname, pid: process.pid, ...values })
    .onConflictDoUpdate({ target: queueWorkers.id, set: values });
}

/** Starts the heartbeat of one worker; the returned function writes its last beat as stopped. */
export function startHeartbeat(id: string, kind: string, hostname: string, stats: WorkerStats): () => Promise<void> {
  const run = () => beat(id, kind, hostname, stats).catch((error) => logger.warn({ err: errorSummary(error) }, "worker heartbeat failed"));
  void run();
  const timer = setInterval(run, HEARTBEAT_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await beat(id, kind, hostname, stats, true).catch(() => undefined);
  };
}

/** Workers seen recently and not stopped, newest first. */
export async function attachedWorkers(): Promise<QueueWorker[]> {
  return db
    .select()
    .from(queueWorkers)
    .where(and(isNull(queueWorkers.stoppedAt), gt(queueWorkers.lastSeenAt, sql`now() - make_interval(secs => ${WORKER_GONE_SECONDS})`)))
    .orderBy(desc(queueWorkers.startedAt));
}
