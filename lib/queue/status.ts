import "server-only";
import { env } from "@/lib/env";
import { setQueueReading } from "@/lib/metrics";
import { queueDepth } from "./depth";
import { attachedWorkers } from "./worker-registry";

export interface QueueStatus {
  waiting: number;
  processing: number;
  oldestWaitingSeconds: number;
  /** Waiting analyses marked delayed: an outage outlasted their retries (alert). */
  delayed: number;
  /** QUEUE_MAX: waiting analyses before uploads are refused. */
  max: number;
  batch: number;
  concurrency: number;
  workers: { id: string; kind: string; hostname: string; lastSeenAt: string; perSecond: number; lastBatchSize: number; jobsDone: number; batches: number }[];
}

/** The queue across the whole deployment (every web and worker process), for metrics and the admin page. */
export async function queueStatus(): Promise<QueueStatus> {
  const [depth, workers] = await Promise.all([queueDepth(), attachedWorkers()]);
  const status: QueueStatus = {
    waiting: depth.waiting,
    processing: depth.processing,
    oldestWaitingSeconds: Math.round(depth.oldestWaitingSeconds * 10) / 10,
    delayed: depth.delayed,
    max: env.QUEUE_MAX,
    batch: env.INFERENCE_BATCH,
    concurrency: env.INFERENCE_CONCURRENCY,
    workers: workers.map((w) => ({
      id: w.id,
      kind: w.kind,
      hostname: w.hostname,
      lastSeenAt: w.lastSeenAt.toISOString(),
      perSecond: Math.round(w.perSecond * 100) / 100,
      lastBatchSize: w.lastBatchSize,
      jobsDone: w.jobsDone,
      batches: w.batches,
    })),
  };
  setQueueReading(status);
  return status;
}
