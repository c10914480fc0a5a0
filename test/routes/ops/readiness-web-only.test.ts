// Readiness of a web process that runs no worker (WORKERS_IN_WEB=false): it reports the installed model
// from its manifest and never loads it, since only the worker processes run it.
import { vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-web-only`;
  process.env.WORKERS_IN_WEB = "false";
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});

import { afterAll, describe, expect, it } from "vitest";
import * as readyRoute from "@/app/api/ready/route";
import { modelStatus } from "@/lib/inference";
import { call } from "@/test/support/principals";
import { ensureDemoModel } from "@/test/support/test-model";

describe("/api/ready without a worker in the process", () => {
  afterAll(async () => {
    await dropDb();
  });

  it("names the installed model without loading it, and is ready on the database alone", async () => {
    const missing = await call(readyRoute.GET, "/api/ready");
    expect(missing.status).toBe(200);
    expect(await missing.json()).toMatchObject({ ready: true, model: { ok: false, state: "failed" }, workers: { inThisProcess: false } });

    await ensureDemoModel();
    const res = await call(readyRoute.GET, "/api/ready");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ ready: true, database: { ok: true }, model: { ok: true, state: "ready", name: "densenet121-res224-all-demo", trained: false } });
    expect(body.model.provider).toBeUndefined();
    expect(modelStatus()).toBeNull();
  });
});
