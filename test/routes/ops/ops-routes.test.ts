// Integration: readiness (database + real demo model) and the Prometheus endpoint with its protection.
import { vi } from "vitest";

// A database of its own: the queue gauges count every analysis in it.
const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-ops`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-ops`;
  process.env.METRICS_TOKEN = "metrics-token-for-tests-0123456789";
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as metricsRoute from "@/app/api/metrics/route";
import * as readyRoute from "@/app/api/ready/route";
import * as modelsRoute from "@/app/api/v1/models/route";
import { closeAllModels } from "@/lib/inference";
import { call, createTestKey, createTestUser } from "@/test/support/principals";
import { ensureDemoModel } from "@/test/support/test-model";
import { acceptUpload } from "@/lib/uploads/accept-upload";
import { queueDepth } from "@/lib/queue/depth";
import { startAnalysisWorker, stopAnalysisWorker } from "@/lib/jobs/analysis-worker";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";

describe("operations endpoints", () => {
  afterAll(async () => {
    await stopAnalysisWorker();
    await closeAllModels();
    await dropDb();
  });

  it("/api/ready is 503 with Retry-After while the model is missing, 200 once database and model are up", async () => {
    const missing = await call(readyRoute.GET, "/api/ready");
    expect(missing.status).toBe(503);
    expect(missing.headers.get("retry-after")).toBe("5");
    expect(await missing.json()).toMatchObject({
      ready: false,
      database: { ok: true, kind: "postgres" },
      model: { ok: false, state: "failed" },
      workers: { attached: false, count: 0, inThisProcess: true },
    });

    await ensureDemoModel();
    let res = await call(readyRoute.GET, "/api/ready");
    // The first call may only start the load; readiness then follows within a few polls.
    for (let i = 0; i < 30 && res.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 500));
      res = await call(readyRoute.GET, "/api/ready");
    }
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ready: true, database: { ok: true }, model: { ok: true, state: "ready", trained: false, provider: "cpu" } });
  });

  describe("/api/metrics", () => {
    let admin: string;
    let radiologist: string;
    let apiKey: string;
    beforeAll(async () => {
      admin = (await createTestUser("admin")).cookie;
      const rad = await createTestUser("radiologist");
      radiologist = rad.cookie;
      apiKey = (await createTestKey(rad.user)).key;
    });

    it("is refused to anonymous callers, non-admins, API keys and wrong tokens", async () => {
      const cases: [string, Record<string, string>, number][] = [
        ["anonymous", {}, 401],
        ["radiologist session", { cookie: radiologist }, 403],
        ["API key", { authorization: `Bearer ${apiKey}` }, 401],
        ["wrong token", { authorization: "Bearer metrics-token-for-tests-012345678X" }, 401],
      ];
      for (const [name, headers, status] of cases) {
        const res = await call(metricsRoute.GET, "/api/metrics", { headers });
        expect.soft(res.status, name).toBe(status);
        expect(await res.text(), name).not.toContain("cxr_http_requests_total");
      }
    });

    it("serves request counts, latency histograms, queue gauges and model info to the token and to admins", async () => {
      // Some traffic to count: a model listing (loads model info) and a refused call.
      await call(modelsRoute.GET, "/api/v1/models", { headers: { authorization: `Bearer ${apiKey}` } });
      await call(modelsRoute.GET, "/api/v1/models");
      // Two accepted uploads and no worker yet: they wait.
      const rad = await createTestUser("radiologist");
      const files = await Promise.all([1, 2].map(async (n) => ({ fileName: `q${n}.png`, bytes: await syntheticFilmPng(n, 128) })));
      for (const f of files) await acceptUpload({ actor: rad.principal, files: [f] });
      await queueDepth(true);
      const res = await call(metricsRoute.GET, "/api/metrics", { headers: { authorization: "Bearer metrics-token-for-tests-0123456789" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      expect(text).toMatch(/cxr_http_requests_total\{method="GET",route="\/api\/v1\/models",status="200"\} 1/);
      expect(text).toMatch(/cxr_http_requests_total\{method="GET",route="\/api\/v1\/models",status="401"\} 1/);
      expect(text).toMatch(/cxr_http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/api\/v1\/models"\} 2/);
      expect(text).toMatch(/cxr_queue_waiting 2/);
      expect(text).toMatch(/cxr_queue_oldest_waiting_seconds \d/);
      expect(text).toMatch(/cxr_queue_workers 0/);
      expect(text).toMatch(/cxr_model_info\{name="densenet121-res224-all-demo",version="1",trained="false",provider="cpu"\} 1/);
      expect(text).toMatch(/# TYPE cxr_analysis_stage_duration_seconds histogram/);
      expect(text).toMatch(/cxr_process_resident_memory_bytes/);

      // A worker attaches and analyses both (as one batch, or as two when its two claim loops each take
      // one: SKIP LOCKED lets concurrent claims split the queue): readiness and the gauges say so.
      const worker = await startAnalysisWorker("worker");
      await expect.poll(async () => (await queueDepth(true)).waiting + (await queueDepth()).processing, { timeout: 60_000, interval: 300 }).toBe(0);
      const ready = await (await call(readyRoute.GET, "/api/ready")).json();
      expect(ready).toMatchObject({ ready: true, workers: { attached: true, count: 1 } });
      await expect
        .poll(async () => await (await call(metricsRoute.GET, "/api/metrics", { headers: { cookie: admin } })).text(), { timeout: 15_000, interval: 1000 })
        .toMatch(new RegExp(`cxr_worker_analyses_done\\{worker="${worker.id}",kind="worker"\\} 2`));
      const byAdmin = await (await call(metricsRoute.GET, "/api/metrics", { headers: { cookie: admin } })).text();
      expect(byAdmin).toMatch(/cxr_queue_waiting 0/);
      expect(byAdmin).toMatch(/cxr_queue_workers 1/);
      expect(byAdmin).toMatch(new RegExp(`cxr_worker_last_batch_size\\{worker="${worker.id}",kind="worker"\\} [12]\\n`));
      expect(byAdmin).toMatch(/cxr_worker_batch_size_sum 2\n/);
      expect(byAdmin).toMatch(/cxr_worker_batch_size_count [12]\n/);
    });
  });
});
