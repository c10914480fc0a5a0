import "server-only";
import { routePattern } from "@/lib/core/route-table";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

// Prometheus metrics, one registry per process kept on globalThis: dev-mode hot reloads re-evaluate
// modules, and registering a metric name twice on one registry throws.

/** The analysis queue as the whole deployment sees it (read from the database at scrape time). */
export interface QueueReading {
  waiting: number;
  processing: number;
  oldestWaitingSeconds: number;
  /** Waiting analyses whose retries for failures on our side were spent (lib/queue/delayed.ts). */
  delayed: number;
  workers: { id: string; kind: string; perSecond: number; lastBatchSize: number; jobsDone: number }[];
}

export interface ModelInfo {
  name: string;
  version: string;
  trained: boolean;
  provider: string;
}

interface Metrics {
  registry: Registry;
  httpRequests: Counter<"method" | "route" | "status">;
  httpDuration: Histogram<"method" | "route">;
  stageDuration: Histogram<"stage">;
  workerBatch: Histogram<string>;
  queue: {
    waiting: Gauge<string>;
    processing: Gauge<string>;
    oldest: Gauge<string>;
    delayed: Gauge<string>;
    delayedTotal: Counter<string>;
    workers: Gauge<string>;
    workerRate: Gauge<"worker" | "kind">;
    workerBatchSize: Gauge<"worker" | "kind">;
    workerDone: Gauge<"worker" | "kind">;
  };
  rateLimited: Counter<"limit">;
  admissionRejected: Counter<string>;
  modelInfo: Gauge<"name" | "version" | "trained" | "provider">;
}

function create(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "cxr_" });
  const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
  const metrics: Metrics = {
    registry,
    httpRequests: new Counter({
      name: "cxr_http_requests_total",
      help: "Requests answered by route handlers, by method, route pattern and status",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "cxr_http_request_duration_seconds",
      help: "Time from request to response headers, by method and route pattern",
      labelNames: ["method", "route"],
      buckets: seconds,
      registers: [registry],
    }),
    stageDuration: new Histogram({
      name: "cxr_analysis_stage_duration_seconds",
      help: "Time per analysis pipeline stage (decode, preprocess, inference, render, store)",
      labelNames: ["stage"],
      buckets: seconds,
      registers: [registry],
    }),
    workerBatch: new Histogram({
      name: "cxr_worker_batch_size",
      help: "Analyses per batch claimed by this process's worker (one onnxruntime run each)",
      buckets: [1, 2, 4, 8, 16, 32, 64],
      registers: [registry],
    }),
    queue: {
      waiting: new Gauge({ name: "cxr_queue_waiting", help: "Accepted analyses waiting for a worker", registers: [registry] }),
      processing: new Gauge({ name: "cxr_queue_processing", help: "Analyses a worker holds now", registers: [registry] }),
      oldest: new Gauge({ name: "cxr_queue_oldest_waiting_seconds", help: "Age of the oldest waiting analysis", registers: [registry] }),
      delayed: new Gauge({
        name: "cxr_queue_delayed",
        help: "Accepted analyses waiting as delayed: their retries for outages on our side were spent (alert when above 0)",
        registers: [registry],
      }),
      delayedTotal: new Counter({
        name: "cxr_analyses_delayed_total",
        help: "Times this process queued an analysis again as delayed after its transient retries were spent",
        registers: [registry],
      }),
      workers: new Gauge({ name: "cxr_queue_workers", help: "Workers attached (heartbeat in the last 30 s)", registers: [registry] }),
      workerRate: new Gauge({
        name: "cxr_worker_analyses_per_second",
        help: "Analyses finished per second over the last minute, per worker",
        labelNames: ["worker", "kind"],
        registers: [registry],
      }),
      workerBatchSize: new Gauge({
        name: "cxr_worker_last_batch_size",
        help: "Size of each worker's latest batch",
        labelNames: ["worker", "kind"],
        registers: [registry],
      }),
      workerDone: new Gauge({
        name: "cxr_worker_analyses_done",
        help: "Analyses finished by each worker since it started",
        labelNames: ["worker", "kind"],
        registers: [registry],
      }),
    },
    rateLimited: new Counter({
      name: "cxr_rate_limited_total",
      help: "Requests refused with 429, by the limit that refused them (ip or key)",
      labelNames: ["limit"],
      registers: [registry],
    }),
    admissionRejected: new Counter({
      name: "cxr_inference_rejected_total",
      help: "Uploads refused with 503 because the analysis queue was full (QUEUE_MAX)",
      registers: [registry],
    }),
    modelInfo: new Gauge({
      name: "cxr_model_info",
      help: "The active model (value is always 1)",
      labelNames: ["name", "version", "trained", "provider"],
      registers: [registry],
    }),
  };
  return metrics;
}

const globalForMetrics = globalThis as unknown as { cxrMetrics?: Metrics };

export function metrics(): Metrics {
  globalForMetrics.cxrMetrics ??= create();
  return globalForMetrics.cxrMetrics;
}

export function observeRequest(method: string, pathname: string, status: number, seconds: number): void {
  const m = metrics();
  // Labels come from the route table only: ids, tokens and made-up paths never become label values.
  const route = routePattern(pathname);
  m.httpRequests.inc({ method, route, status: String(status) });
  m.httpDuration.observe({ method, route }, seconds);
}

/** Records an analysis's stage timings (milliseconds, as stored on the analysis). */
export function observeAnalysisTimings(timings: Record<string, number> | null | undefined): void {
  const m = metrics();
  for (const [stage, ms] of Object.entries(timings ?? {})) {
    if (Number.isFinite(ms) && ms >= 0) m.stageDuration.observe({ stage }, ms / 1000);
  }
}

export function observeWorkerBatch(size: number): void {
  metrics().workerBatch.observe(size);
}

export function countRateLimited(limit: "ip" | "key"): void {
  metrics().rateLimited.inc({ limit });
}

export function countAdmissionRejected(): void {
  metrics().admissionRejected.inc();
}

export function countDelayedAnalyses(n: number): void {
  metrics().queue.delayedTotal.inc(n);
}

export function setQueueReading(q: QueueReading): void {
  const g = metrics().queue;
  g.waiting.set(q.waiting);
  g.processing.set(q.processing);
  g.oldest.set(q.oldestWaitingSeconds);
  g.delayed.set(q.delayed);
  g.workers.set(q.workers.length);
  for (const gauge of [g.workerRate, g.workerBatchSize, g.workerDone]) gauge.reset();
  for (const w of q.workers) {
    const labels = { worker: w.id, kind: w.kind };
    g.workerRate.set(labels, w.perSecond);
    g.workerBatchSize.set(labels, w.lastBatchSize);
    g.workerDone.set(labels, w.jobsDone);
  }
}

export function setModelInfo(info: ModelInfo): void {
  const g = metrics().modelInfo;
  g.reset();
  g.set({ name: info.name, version: info.version, trained: String(info.trained), provider: info.provider }, 1);
}
