// The retention job on the queue engine's own scheduler (pg-boss cron, RETENTION_SCHEDULE): one job per
// due time across every process of a deployment, run by whichever worker claims it.
import "server-only";
import type { PgBoss } from "pg-boss";
import { env } from "@/lib/env";
import { errorSummary, logger } from "@/lib/log";
import { runRetention } from "./retention";

export const RETENTION_QUEUE = "retention";

/** Registers the schedule and this process's handler of the retention queue. */
export async function workRetention(boss: PgBoss): Promise<void> {
  // A run that fails (storage or database away) is tried again later the same day, then waits for the next.
  const queue = { retryLimit: 3, retryDelay: 600, retryBackoff: true, expireInSeconds: 60 * 60, deleteAfterSeconds: 7 * 24 * 60 * 60, notify: true };
  await boss.createQueue(RETENTION_QUEUE, queue);
  await boss.updateQueue(RETENTION_QUEUE, queue);
  await boss.schedule(RETENTION_QUEUE, env.RETENTION_SCHEDULE);
  await boss.work(RETENTION_QUEUE, { batchSize: 1, pollingIntervalSeconds: 60 }, async () => {
    try {
      await runRetention(new Date());
    } catch (error) {
      logger.error({ err: errorSummary(error) }, "retention run failed");
      throw error;
    }
  });
}
