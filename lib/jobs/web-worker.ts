import "server-only";
import { env } from "@/lib/env";
import { errorSummary, logger } from "@/lib/log";
import { stopQueueEngine } from "@/lib/queue/boss";
import { startAnalysisWorker, stopAnalysisWorker } from "./analysis-worker";

const RETRY_MS = 5_000;

/**
 * The web process's own worker (WORKERS_IN_WEB). Started in the background so the server answers at
 * once; a database that is not up yet is retried until it is. On SIGTERM the worker finishes or hands
 * back its jobs before the process exits.
 */
export function startWebWorker(): void {
  if (!env.WORKERS_IN_WEB) return;
  const attempt = () =>
    startAnalysisWorker("web").catch((error) => {
      logger.warn({ err: errorSummary(error) }, "analysis worker could not start; retrying");
      setTimeout(attempt, RETRY_MS).unref();
    });
  void attempt();
  process.once("SIGTERM", () => {
    void stopAnalysisWorker()
      .then(() => stopQueueEngine())
      .finally(() => process.exit(0));
  });
}
