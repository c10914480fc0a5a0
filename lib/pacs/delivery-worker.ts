import "server-only";
import { errorSummary, logger } from "@/lib/log";
import { claimDue, deliveryEnabled, markDelivered, markFailed, secondsUntilNextDue } from "./delivery-queue";
import { loadResult } from "./load-result";
import { secondaryCaptures, structuredReport } from "./result-instances";
import { StowError, stowInstances } from "./stow-client";
import type { ResultDelivery } from "@/lib/db/schema";

// The worker that sends owed results to the PACS, one per process: it runs when a delivery is added,
// then sleeps until the next one is due (at most a minute, so other processes' work is picked up).
// A PACS that is down only delays the results; the analyses and reviews never wait for it.

const IDLE_POLL_SECONDS = 60;
const BATCH = 4;

interface WorkerState {
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  again: boolean;
  stopped: boolean;
}

const globalForWorker = globalThis as unknown as { cxrDeliveryWorker?: WorkerState };
const state = (globalForWorker.cxrDeliveryWorker ??= { timer: null, running: null, again: false, stopped: false });

async function deliver(d: ResultDelivery): Promise<void> {
  const result = await loadResult(d.analysisId, d.reviewVersion);
  const sr = structuredReport(result);
  // The captures go with the first results only: a sign-off changes the SR, not the heatmaps.
  const instances = d.reviewVersion === 0 ? [sr, ...(await secondaryCaptures(result))] : [sr];
  await stowInstances(instances);
}

async function runOnce(): Promise<void> {
  for (;;) {
    const batch = await claimDue(BATCH);
    if (batch.length === 0) return;
    for (const d of batch) {
      try {
        await deliver(d);
        await markDelivered(d);
        logger.info({ analysisId: d.analysisId, reviewVersion: d.reviewVersion, attempt: d.attempts }, "results delivered to the PACS");
      } catch (error) {
        const retryable = error instanceof StowError ? error.retryable : !(error as { status?: number }).status;
        const reason = error instanceof StowError ? error.message : (error as { status?: number }).status ? (error as Error).message : "an error on our side";
        if (!(error instanceof StowError)) logger.error({ err: errorSummary(error), analysisId: d.analysisId }, "writing results for the PACS failed");
        await markFailed(d, reason, retryable);
        logger.warn({ analysisId: d.analysisId, reviewVersion: d.reviewVersion, attempt: d.attempts, reason }, "results not delivered to the PACS yet");
      }
    }
  }
}

function schedule(seconds: number): void {
  if (state.stopped) return;
  if (state.timer) clearTimeout(state.timer);
  state.timer = setTimeout(() => kickDeliveryWorker(), Math.max(50, seconds * 1000));
  // Pending deliveries must not keep a CLI or a test process alive.
  state.timer.unref();
}

/** Runs the worker now (or right after its current pass). Safe to call often. */
export function kickDeliveryWorker(): void {
  if (!deliveryEnabled() || state.stopped) return;
  if (state.running) {
    state.again = true;
    return;
  }
  state.running = (async () => {
    do {
      state.again = false;
      try {
        await runOnce();
      } catch (error) {
        // The database itself is away: try again later, nothing is lost (the rows stay pending).
        logger.warn({ err: errorSummary(error) }, "result delivery: database unavailable, retrying");
      }
    } while (state.again);
    const next = await secondsUntilNextDue().catch(() => null);
    schedule(next === null ? IDLE_POLL_SECONDS : Math.min(next + 0.05, IDLE_POLL_SECONDS));
  })().finally(() => {
    state.running = null;
  });
}

/** Waits for the current pass (tests, shutdown). */
export async function deliveryWorkerIdle(): Promise<void> {
  while (state.running) await state.running;
}

export async function stopDeliveryWorker(): Promise<void> {
  state.stopped = true;
  if (state.timer) clearTimeout(state.timer);
  await deliveryWorkerIdle();
}
