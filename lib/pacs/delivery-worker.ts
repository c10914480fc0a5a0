import "server-only";
import type { JobResult, JobResultStatus, PgBoss } from "pg-boss";
import { env } from "@/lib/env";
import { errorSummary, logger } from "@/lib/log";
import { DELIVERY_DEAD_QUEUE, DELIVERY_QUEUE } from "@/lib/queue/boss";
import { type DeliveryJob, deliveryEnabled, markAttemptFailed, markDelivered, markUnfinishedDeliveryFailed } from "./delivery-jobs";
import { loadResult } from "./load-result";
import { secondaryCaptures, structuredReport } from "./result-instances";
import { StowError, stowInstances } from "./stow-client";

// Sends owed results to the PACS, in every process that runs analyses (lib/jobs/analysis-worker.ts). pg-boss
// schedules the attempts: a failed one is handed back to it and tried again after its backoff. A PACS
// that is down only delays the results; the analyses and reviews never wait for it.

async function deliver(d: DeliveryJob): Promise<void> {
  const result = await loadResult(d.analysisId, d.reviewVersion);
  const sr = structuredReport(result);
  // The captures go with the first results only: a sign-off changes the SR, not the heatmaps.
  const instances = d.reviewVersion === 0 ? [sr, ...(await secondaryCaptures(result))] : [sr];
  await stowInstances(instances);
}

/** One attempt, and what the queue should do with its job. */
async function attempt(d: DeliveryJob, attemptNo: number): Promise<JobResultStatus> {
  try {
    await deliver(d);
    await markDelivered(d, attemptNo);
    logger.info({ analysisId: d.analysisId, reviewVersion: d.reviewVersion, attempt: attemptNo }, "results delivered to the PACS");
    return "completed";
  } catch (error) {
    const status = (error as { status?: number }).status;
    // A PACS that refuses the results for good (4xx) or results that cannot be written are not retried.
    const retryable = error instanceof StowError ? error.retryable : !status;
    const reason = error instanceof StowError ? error.message : status ? (error as Error).message : "an error on our side";
    if (!(error instanceof StowError)) logger.error({ err: errorSummary(error), analysisId: d.analysisId }, "writing results for the PACS failed");
    const spent = !retryable || attemptNo >= env.DICOMWEB_RESULTS_ATTEMPTS;
    await markAttemptFailed(d, attemptNo, reason, spent);
    logger.warn({ analysisId: d.analysisId, reviewVersion: d.reviewVersion, attempt: attemptNo, reason }, "results not delivered to the PACS yet");
    // "deadletter" ends the job at once, past any retries left.
    return retryable ? "failed" : "deadletter";
  }
}

/** Registers this process's handler of the delivery queue on its queue engine. */
export async function workDeliveries(boss: PgBoss): Promise<void> {
  if (!deliveryEnabled()) return;
  // A new delivery wakes the worker by NOTIFY, a retry coming due does not: the queue is looked at
  // again at least as often as the first retry delay (between 1 and 30 seconds), so no retry is late
  // by more than that.
  const pollSeconds = Math.min(30, Math.max(1, env.DICOMWEB_RETRY_SECONDS));
  const options = { batchSize: 4, perJobResults: true, pollingIntervalSeconds: pollSeconds, notifyPollingIntervalSeconds: pollSeconds } as const;
  await boss.work<DeliveryJob>(DELIVERY_QUEUE, options, async (jobs) => {
    const results: JobResult[] = [];
    for (const job of jobs) results.push({ id: job.id, status: await attempt(job.data, job.retryCount + 1) });
    return results;
  });
  // Jobs the queue gave up on, among them those whose worker died on the last attempt.
  await boss.work<DeliveryJob>(DELIVERY_DEAD_QUEUE, { batchSize: 20, pollingIntervalSeconds: pollSeconds }, async (jobs) => {
    for (const job of jobs) await markUnfinishedDeliveryFailed(boss, job.data);
  });
}
