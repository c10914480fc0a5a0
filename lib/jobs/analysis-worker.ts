import "server-only";
import crypto from "node:crypto";
import os from "node:os";
import { runAnalyses } from "@/lib/jobs/run-analyses";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { env } from "@/lib/env";
import { getModel } from "@/lib/inference/registry";
import { errorSummary, logger } from "@/lib/log";
import { observeWorkerBatch } from "@/lib/metrics";
import { workRetention } from "@/lib/lifecycle/retention-job";
import { workDeliveries } from "@/lib/pacs/delivery-worker";
import { workAnatomy } from "./anatomy-worker";
import type { AnalysisJob } from "@/lib/queue/analysis-jobs";
import { ANALYSIS_DEAD_QUEUE, ANALYSIS_QUEUE, queueEngine, stopQueueEngine } from "@/lib/queue/boss";
import { requeueDelayed } from "@/lib/queue/delayed";
import { newWorkerStats, recordBatch, startHeartbeat } from "@/lib/queue/worker-registry";

// An analysis worker: claims up to INFERENCE_BATCH queued analyses at a time (INFERENCE_CONCURRENCY
// claims in flight) and runs each claim through the model as one batch. The queue engine keeps a lease
// on every claimed job through heartbeats: when a worker dies, its jobs go to another worker once the
// lease (QUEUE_LEASE_SECONDS) lapses. Only failures that may be the film's count as its attempts (three,
// then it ends `failed`); our side's are retried with backoff and never fail it (docs/storage-and-queue.md).

export interface AnalysisWorker {
  id: string;
  /** Stops claiming, finishes the claimed jobs (or, past `timeoutMs`, hands them back), and deregisters. */
  stop(timeoutMs?: number): Promise<void>;
}

const DATABASE_RETRIES = 6;

/**
 * Runs a claim again while the database is away (a restart, killed connections): an outage must not
 * spend the analyses' attempts, which are meant for failures of the analysis itself. Safe because a
 * claim can be run again (lib/jobs/run-analyses.ts).
 */
async function throughDatabaseTrouble<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!isDatabaseUnavailable(error) || attempt >= DATABASE_RETRIES) throw error;
      logger.warn({ err: errorSummary(error), attempt }, "worker: database unavailable; running the claim again");
      await new Promise((r) => setTimeout(r, Math.min(5_000, 250 * 2 ** attempt)));
    }
  }
}

const globalForWorker = globalThis as unknown as { cxrWorker?: Promise<AnalysisWorker> };

async function start(kind: "web" | "worker"): Promise<AnalysisWorker> {
  const boss = await queueEngine();
  const hostname = os.hostname();
  const id = `${kind}-${hostname}-${process.pid}-${crypto.randomBytes(3).toString("hex")}`;
  const stats = newWorkerStats();
  // Warm the model before the first claim, so the first batch's lease is not spent loading it.
  await getModel().catch((error) => logger.error({ err: errorSummary(error) }, "worker: the model could not be loaded"));

  await boss.work<AnalysisJob>(
    ANALYSIS_QUEUE,
    {
      batchSize: env.INFERENCE_BATCH,
      localConcurrency: env.INFERENCE_CONCURRENCY,
      perJobResults: true,
      pollingIntervalSeconds: 1,
      // With NOTIFY on, pg-boss otherwise sleeps up to 30 s after every batch unless a new job is
      // announced: a backlog already queued (a burst) was worked one batch per 30 s. A full batch means
      // more is waiting, so fetch again at once (at batch size 1, where pg-boss cannot tell a full
      // batch, while its cached count shows a backlog); after a short one, wait for NOTIFY, polled
      // every 2 s in case a notification was lost with a connection.
      burstWhenBatchFull: true,
      burstWhenReadyExceeds: 1,
      notifyPollingIntervalSeconds: 2,
    },
    async (jobs) => {
      const outcomes = await throughDatabaseTrouble(() =>
        runAnalyses(
          jobs.map((j) => j.data.analysisId),
          id,
        ),
      );
      const finished = [...outcomes.values()].filter((o) => o.kind !== "retry").length;
      recordBatch(stats, jobs.length, finished);
      observeWorkerBatch(jobs.length);
      return jobs.map((job) => {
        const outcome = outcomes.get(job.data.analysisId) ?? { kind: "retry", code: "analysis_error", message: "not processed" };
        return outcome.kind === "retry" ? { id: job.id, status: "failed" as const, output: { code: outcome.code, message: outcome.message } } : { id: job.id, status: "completed" as const };
      });
    },
  );
  // Jobs whose retries for our side's failures are spent (a film's own failures end its analysis
  // before that): never failed, queued again as delayed (lib/queue/delayed.ts).
  await boss.work<AnalysisJob>(ANALYSIS_DEAD_QUEUE, { batchSize: 20, pollingIntervalSeconds: 2 }, async (jobs) => {
    await throughDatabaseTrouble(() => requeueDelayed(boss, jobs.map((job) => job.data.analysisId)));
  });
  // The results owed to the PACS go out from the same processes.
  await workDeliveries(boss);
  // And the segmentations of frontal films, after the findings (lib/jobs/anatomy-worker.ts).
  await workAnatomy(boss);
  // So do the retention rules, on the queue engine's schedule.
  await workRetention(boss);
  const stopHeartbeat = startHeartbeat(id, kind, hostname, stats);
  logger.info({ worker: id, batch: env.INFERENCE_BATCH, concurrency: env.INFERENCE_CONCURRENCY }, "analysis worker started");

  return {
    id,
    async stop(timeoutMs = 30_000) {
      await stopQueueEngine(timeoutMs);
      await stopHeartbeat();
      logger.info({ worker: id, jobsDone: stats.jobsDone }, "analysis worker stopped");
    },
  };
}

/** Starts this process's worker (once; later calls return the same one). */
export function startAnalysisWorker(kind: "web" | "worker"): Promise<AnalysisWorker> {
  globalForWorker.cxrWorker ??= start(kind).catch((error) => {
    globalForWorker.cxrWorker = undefined;
    throw error;
  });
  return globalForWorker.cxrWorker;
}

/** Stops this process's worker, if one runs. */
export async function stopAnalysisWorker(timeoutMs?: number): Promise<void> {
  const pending = globalForWorker.cxrWorker;
  globalForWorker.cxrWorker = undefined;
  const worker = await pending?.catch(() => null);
  await worker?.stop(timeoutMs);
}
