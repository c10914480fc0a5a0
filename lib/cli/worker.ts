// `npm run worker`: a worker-only process that analyses queued uploads, for as many machines as reach
// the database and the storage. Stops on SIGTERM/SIGINT after finishing (or handing back) its jobs.
import { closeImagePool } from "@/lib/analyses/image-pool";
import { closeDb, dbKind } from "@/lib/db/client";
import { env } from "@/lib/env";
import { closeAllModels } from "@/lib/inference";
import { logger } from "@/lib/log";
import { startAnalysisWorker } from "@/lib/jobs/analysis-worker";

if (dbKind() === "pglite") {
  process.stderr.write(
    "A separate worker needs PostgreSQL (set DATABASE_URL): the embedded database belongs to the one web process, which runs its own worker (WORKERS_IN_WEB).\n",
  );
  process.exit(1);
}

const worker = await startAnalysisWorker("worker");
process.stdout.write(`worker ${worker.id} started (batch ${env.INFERENCE_BATCH}, ${env.INFERENCE_CONCURRENCY} in flight)\n`);

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "worker stopping");
    void worker
      .stop()
      .then(() => Promise.all([closeAllModels(), closeImagePool(), closeDb()]))
      .finally(() => process.exit(0));
  });
}
