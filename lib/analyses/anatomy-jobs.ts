import "server-only";
import type { PgBoss } from "pg-boss";
import { env } from "@/lib/env";
import { insertJobs, type SqlTransaction } from "@/lib/queue/analysis-jobs";
import { ANATOMY_QUEUE, queueEngine } from "@/lib/queue/boss";
import { recordAnatomyQueued } from "./anatomy-store";

// Segmentations are queued in the transaction that saves an analysis's findings (run-analyses.ts): a job
// exists exactly when its findings do, and the findings never wait for it. Laterals (a DICOM view tag or
// the view model: the gate's non_frontal_view warning) get a `skipped` row and no job.

export interface AnatomyJob {
  analysisId: string;
}

/** This process runs segmentations (ANATOMY=on with a model). */
export function anatomyRunsHere(): boolean {
  return env.ANATOMY === "on" && Boolean(env.ANATOMY_MODEL_DIR);
}

/** This process queues them when it saves findings: where it runs them, or ANATOMY=queue (a GPU worker runs them). */
export function anatomyQueued(): boolean {
  return env.ANATOMY === "queue" || anatomyRunsHere();
}

/** The queue engine for a transaction that may queue segmentations, started before it opens; null when off. */
export async function anatomyEngine(): Promise<PgBoss | null> {
  return anatomyQueued() ? queueEngine() : null;
}

const LATERAL_REASON = "Not a frontal film: anatomy is segmented on frontal (PA/AP) films only.";

/** Queues the segmentation of a completed analysis (or records why there is none), in the caller's transaction. */
export async function addAnatomy(boss: PgBoss | null, tx: SqlTransaction & Parameters<typeof recordAnatomyQueued>[0], analysisId: string, warnings: readonly { code: string }[]): Promise<void> {
  if (!boss) return;
  if (warnings.some((w) => w.code === "non_frontal_view")) {
    await recordAnatomyQueued(tx, analysisId, LATERAL_REASON);
    return;
  }
  await recordAnatomyQueued(tx, analysisId);
  await insertJobs(boss, tx, ANATOMY_QUEUE, [{ data: { analysisId } satisfies AnatomyJob }]);
}
