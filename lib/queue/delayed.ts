import "server-only";
import crypto from "node:crypto";
import { and, inArray, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { db } from "@/lib/db/client";
import { analyses } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { logger } from "@/lib/log";
import { countDelayedAnalyses } from "@/lib/metrics";
import { insertJobs, type AnalysisJob } from "./analysis-jobs";
import { ANALYSIS_QUEUE } from "./boss";

// An analysis whose transient retries are spent (the storage or database away for longer than the
// backoff covers, workers dying again and again) was accepted: it must not be lost or failed for
// something that was not the film's fault. It stays `queued`, marked `delayed` (visible on its page,
// counted in cxr_queue_delayed, an alert), and a new job takes it up again after
// QUEUE_DELAYED_RETRY_SECONDS, for another round of retries.

/** The error code a delayed analysis carries while it waits. */
export const DELAYED_CODE = "delayed";

/** Queues these analyses again as delayed; returns those still unfinished (the others are left alone). */
export async function requeueDelayed(boss: PgBoss, analysisIds: string[]): Promise<string[]> {
  if (analysisIds.length === 0) return [];
  const startAfter = new Date(Date.now() + env.QUEUE_DELAYED_RETRY_SECONDS * 1000);
  const message =
    "Our side could not analyse this image for a while (storage, database or workers unavailable). It stays queued and is tried again automatically.";
  const ids = await db.transaction(async (tx) => {
    const rows = await tx
      .update(analyses)
      .set({ status: "queued", errorCode: DELAYED_CODE, error: message, startedAt: sql`null` })
      .where(and(inArray(analyses.id, analysisIds), inArray(analyses.status, ["queued", "processing"])))
      .returning({ id: analyses.id });
    // A new job id each round: the spent job keeps the analysis id (and its history) in pg-boss.
    await insertJobs<AnalysisJob>(
      boss,
      tx,
      ANALYSIS_QUEUE,
      rows.map((r) => ({ id: crypto.randomUUID(), data: { analysisId: r.id }, startAfter })),
    );
    return rows.map((r) => r.id);
  });
  if (ids.length > 0) {
    countDelayedAnalyses(ids.length);
    logger.error({ analyses: ids, retryInSeconds: env.QUEUE_DELAYED_RETRY_SECONDS }, "analyses delayed: their retries for failures on our side are spent");
  }
  return ids;
}
