import "server-only";
import type { JobResult, PgBoss } from "pg-boss";
import { anatomyRunsHere, type AnatomyJob } from "@/lib/analyses/anatomy-jobs";
import { runAnatomyFor } from "@/lib/analyses/anatomy-step";
import { markAnatomyFailed } from "@/lib/analyses/anatomy-store";
import { errorSummary, logger } from "@/lib/log";
import { ANATOMY_ATTEMPTS, ANATOMY_DEAD_QUEUE, ANATOMY_QUEUE } from "@/lib/queue/boss";
import { queueDepth } from "@/lib/queue/depth";

// Segmentations, in every process that runs analyses, one at a time. They come after the findings and
// triage: a segmentation does not start while analyses wait for a worker (up to YIELD_LIMIT_MS, so a
// steady stream of uploads cannot starve it for ever), and one that is running is not interrupted. A
// segmentation that fails never touches its analysis: after ANATOMY_ATTEMPTS it is marked failed.

const YIELD_POLL_MS = 2_000;
const YIELD_LIMIT_MS = 10 * 60_000;
const FAILED_REASON = "The anatomy model could not segment this film (an error on our side); the findings are unaffected.";

async function yieldToFindings(): Promise<void> {
  const until = Date.now() + YIELD_LIMIT_MS;
  while (Date.now() < until) {
    const depth = await queueDepth(true);
    if (depth.waiting - depth.delayed <= 0) return;
    await new Promise((r) => setTimeout(r, YIELD_POLL_MS));
  }
}

/** One job; what the queue should do with it. */
export async function attemptAnatomy(job: { id: string; data: AnatomyJob; retryCount: number }): Promise<JobResult> {
  const { analysisId } = job.data;
  const last = job.retryCount + 1 >= ANATOMY_ATTEMPTS;
  try {
    await yieldToFindings();
    const started = performance.now();
    const outcome = await runAnatomyFor(analysisId);
    if (outcome.kind === "unusable") await markAnatomyFailed(analysisId, outcome.reason);
    if (outcome.kind === "saved") logger.info({ analysisId, ms: Math.round(performance.now() - started), ratio: outcome.summary.ctr.ratio }, "anatomy saved");
    return { id: job.id, status: "completed" };
  } catch (error) {
    logger.error({ err: errorSummary(error), analysisId, attempt: job.retryCount + 1 }, "segmentation failed");
    if (!last) return { id: job.id, status: "failed", output: { message: "segmentation failed" } };
    await markAnatomyFailed(analysisId, FAILED_REASON).catch(() => undefined);
    return { id: job.id, status: "completed" };
  }
}

/** Registers this process's handler of the anatomy queue (nothing unless it runs segmentations). */
export async function workAnatomy(boss: PgBoss): Promise<void> {
  if (!anatomyRunsHere()) return;
  await boss.work<AnatomyJob>(ANATOMY_QUEUE, { batchSize: 1, localConcurrency: 1, perJobResults: true, pollingIntervalSeconds: 2 }, async (jobs) => {
    const results: JobResult[] = [];
    for (const job of jobs) results.push(await attemptAnatomy(job));
    return results;
  });
  // Jobs the queue gave up on: their worker died on the last attempt.
  await boss.work<AnatomyJob>(ANATOMY_DEAD_QUEUE, { batchSize: 20, pollingIntervalSeconds: 5 }, async (jobs) => {
    for (const job of jobs) await markAnatomyFailed(job.data.analysisId, FAILED_REASON);
  });
}
