// Integration: readiness (database + real demo model) and the Prometheus endpoint with its protection.
import { vi } from "vitest";

vi.hoisted(() => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-ops`;
  process.env.METRICS_TOKEN = "metrics-token-for-tests-0123456789";
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as metricsRoute from "@/app/api/metrics/route";
import * as readyRoute from "@/app/api/ready/route";
import * as modelsRoute from "@/app/api/v1/models/route";
import { closeAllModels } from "@/lib/inference";
import { call, createTestKey, createTestUser } from "@/lib/testing/principals";
import { ensureDemoModel } from "@/lib/testing/test-model";
import { admitAnalyses } from "@/lib/api/admission";

describe("operations endpoints", () => {
  afterAll(closeAllModels);

  it("/api/ready is 503 with Retry-After while the model is missing, 200 once database and model are up", async () => {
    const missing = await call(readyRoute.GET, "/api/ready");
    expect(missing.status).toBe(503);
    expect(missing.headers.get("retry-after")).toBe("5");
    expect(await missing.json()).toMatchObject({ ready: false, database: { ok: true, kind: "postgres" }, model: { ok: false, state: "failed" } });

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
      const ticket = admitAnalyses(2); // two admitted analyses not started yet: queue depth 2
      try {
        const res = await call(metricsRoute.GET, "/api/metrics", { headers: { authorization: "Bearer metrics-token-for-tests-0123456789" } });
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
        const text = await res.text();
        expect(text).toMatch(/cxr_http_requests_total\{method="GET",route="\/api\/v1\/models",status="200"\} 1/);
        expect(text).toMatch(/cxr_http_requests_total\{method="GET",route="\/api\/v1\/models",status="401"\} 1/);
        expect(text).toMatch(/cxr_http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/api\/v1\/models"\} 2/);
        expect(text).toMatch(/cxr_inference_queue_depth 2/);
        expect(text).toMatch(/cxr_inference_queue_capacity \d+/);
        expect(text).toMatch(/cxr_model_info\{name="densenet121-res224-all-demo",version="1",trained="false",provider="cpu"\} 1/);
        expect(text).toMatch(/# TYPE cxr_analysis_stage_duration_seconds histogram/);
        expect(text).toMatch(/cxr_process_resident_memory_bytes/);
      } finally {
        ticket.release();
      }
      const byAdmin = await call(metricsRoute.GET, "/api/metrics", { headers: { cookie: admin } });
      expect(byAdmin.status).toBe(200);
      expect(await byAdmin.text()).toMatch(/cxr_inference_queue_depth 0/);
    });
  });
});
