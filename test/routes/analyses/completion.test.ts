// Integration, two processes: this one takes uploads with `Prefer: wait` (as a web process with
// WORKERS_IN_WEB=false), a worker process (`npm run worker`, spawned here) analyses them, on the real
// PostgreSQL. The database is looked at only once an hour (WAIT_POLL_SECONDS), so each answer below can
// only come in time through the finishing worker's notification, for a completed analysis and for one
// that failed in the worker alike.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-completion`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-completion`;
  process.env.WAIT_POLL_SECONDS = "3600";
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});
afterAll(() => dropDb());

import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as route from "@/app/api/v1/analyses/route";
import { db } from "@/lib/db/client";
import { analyses, queueWorkers } from "@/lib/db/schema";
import { dataDir, env, storageDir } from "@/lib/env";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";
import { call, createTestKey, createTestUser } from "@/test/support/principals";
import { ensureDemoModel } from "@/test/support/test-model";

let worker: ChildProcess;
let workerId: string;
let key: string;

const upload = (name: string, bytes: Buffer) => {
  const body = new FormData();
  body.append("file", new File([new Uint8Array(bytes)], name, { type: "image/png" }));
  return call(route.POST, "/api/v1/analyses", { method: "POST", headers: { authorization: `Bearer ${key}`, prefer: "wait=60" }, body });
};

describe("Prefer: wait with the worker in another process", () => {
  beforeAll(async () => {
    await ensureDemoModel();
    const workerDir = path.join(dataDir, "completion-worker");
    fs.mkdirSync(workerDir, { recursive: true });
    // node with tsx as a loader (not the tsx command, whose own child a kill would leave running).
    worker = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "lib/cli/worker.ts"], {
      env: { ...process.env, DATABASE_URL: env.DATABASE_URL, MODEL_DIR: env.MODEL_DIR, STORAGE_DIR: storageDir, DATA_DIR: workerDir, LOG_LEVEL: "warn" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    for (const until = Date.now() + 90_000; !workerId; ) {
      if (Date.now() > until || worker.exitCode !== null) throw new Error("the worker process did not start");
      const [row] = await db.select({ id: queueWorkers.id }).from(queueWorkers).where(eq(queueWorkers.pid, worker.pid!));
      if (row) workerId = row.id;
      else await new Promise((r) => setTimeout(r, 250));
    }
    const user = await createTestUser("radiologist");
    ({ key } = await createTestKey(user.user));
  });
  afterAll(async () => {
    if (worker.exitCode !== null) return;
    const exited = new Promise((r) => worker.once("exit", r));
    worker.kill("SIGTERM");
    await exited;
  });

  it("answers 201 with the completed result, analysed by the other process", async () => {
    const res = await upload("film.png", await syntheticFilmPng(31, 256));
    expect(res.status, await res.clone().text()).toBe(201);
    const body = (await res.json()) as { id: string; status: string; findings: unknown[] };
    expect(body.status).toBe("completed");
    expect(body.findings).toHaveLength(18);
    const [row] = await db.select({ workerId: analyses.workerId }).from(analyses).where(eq(analyses.id, body.id));
    expect(row.workerId).toBe(workerId);
  });

  it("answers with the failure of an analysis the other process could not decode", async () => {
    const png = await syntheticFilmPng(32, 256);
    const res = await upload("truncated.png", png.subarray(0, Math.floor(png.length / 2)));
    expect(res.status, await res.clone().text()).toBe(422);
    const problem = (await res.json()) as { analysisId: string };
    const [row] = await db.select({ status: analyses.status, workerId: analyses.workerId }).from(analyses).where(eq(analyses.id, problem.analysisId));
    expect(row).toEqual({ status: "failed", workerId });
  });
});
