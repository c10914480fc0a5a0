import "server-only";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

// Prometheus metrics, one registry per process kept on globalThis: dev-mode hot reloads re-evaluate
// modules, and registering a metric name twice on one registry throws.

export interface QueueProbe {
  running: number;
  waiting: number;
  capacity: number;
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
  queueWait: Histogram<string>;
  rateLimited: Counter<"limit">;
  admissionRejected: Counter<string>;
  modelInfo: Gauge<"name" | "version" | "trained" | "provider">;
  probes: { queue?: () => QueueProbe };
}

function create(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "cxr_" });
  const probes: Metrics["probes"] = {};
  const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
  const metrics: Metrics = {
    registry,
    probes,
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
    queueWait: new Histogram({
      name: "cxr_inference_queue_wait_seconds",
      help: "Time an admitted analysis waited for an inference slot",
      buckets: seconds,
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: "cxr_rate_limited_total",
      help: "Requests refused with 429, by the limit that refused them (ip or key)",
      labelNames: ["limit"],
      registers: [registry],
    }),
    admissionRejected: new Counter({
      name: "cxr_inference_rejected_total",
      help: "Analyses refused with 503 because the inference queue was full",
      registers: [registry],
    }),
    modelInfo: new Gauge({
      name: "cxr_model_info",
      help: "The active model (value is always 1)",
      labelNames: ["name", "version", "trained", "provider"],
      registers: [registry],
    }),
  };
  const queueGauge = (name: string, help: string, pick: (q: QueueProbe) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const q = probes.queue?.();
        this.set(q ? pick(q) : 0);
      },
    });
  queueGauge("cxr_inference_queue_depth", "Admitted analyses waiting for an inference slot", (q) => q.waiting);
  queueGauge("cxr_inference_running", "Analyses being computed now", (q) => q.running);
  queueGauge("cxr_inference_queue_capacity", "Analyses that may be running or waiting at once", (q) => q.capacity);
  return metrics;
}

const globalForMetrics = globalThis as unknown as { cxrMetrics?: Metrics };

export function metrics(): Metrics {
  globalForMetrics.cxrMetrics ??= create();
  return globalForMetrics.cxrMetrics;
}

const ID_SEGMENT = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+|[0-9a-f]{16,}|[A-Za-z0-9_-]{24,})$/i;

/** Route pattern for labels: ids and tokens become ":id" so that label values stay few (and secret-free). */
export function routeLabel(pathname: string): string {
  return pathname
    .split("/")
    .map((s) => (ID_SEGMENT.test(s) ? ":id" : s))
    .join("/");
}

export function observeRequest(method: string, pathname: string, status: number, seconds: number): void {
  const m = metrics();
  const route = routeLabel(pathname);
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

export function observeQueueWait(seconds: number): void {
  metrics().queueWait.observe(seconds);
}

export function countRateLimited(limit: "ip" | "key"): void {
  metrics().rateLimited.inc({ limit });
}

export function countAdmissionRejected(): void {
  metrics().admissionRejected.inc();
}

export function setQueueProbe(probe: () => QueueProbe): void {
  metrics().probes.queue = probe;
}

export function setModelInfo(info: ModelInfo): void {
  const g = metrics().modelInfo;
  g.reset();
  g.set({ name: info.name, version: info.version, trained: String(info.trained), provider: info.provider }, 1);
}
