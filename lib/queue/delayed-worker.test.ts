// Integration (real PostgreSQL, pg-boss, the worker, the demo model): the queue settings at work. With
// one transient retry allowed, a storage outage outlasts the retries: pg-boss moves the job to the
// dead-letter queue, whose worker queues the analysis again as delayed (never failed); once the
// storage is back, the delayed job completes it, once.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-delayed-worker`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-delayed-worker-${process.pid}`;
  process.env.QUEUE_TRANSIENT_RETRIES = "1";
  process.env.QUEUE_RETRY_SECONDS = "1";
  process.env.QUEUE_RETRY_MAX_SECONDS = "1";
  process.env.QUEUE_DELAYED_RETRY_SECONDS = "2";
  process.env.INFERENCE_BATCH = "1";
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});

import fs from "node:fs";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { acceptUpload } from "@/lib/uploads/accept-upload";
import { db } from "@/lib/db/client";
import { analyses, findings } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";
import { closeAllModels } from "@/lib/inference";
import { createTestUser, type TestUser } from "@/test/support/principals";
import { ensureDemoModel } from "@/test/support/test-model";
import { startAnalysisWorker, stopAnalysisWorker } from "@/lib/jobs/analysis-worker";

afterAll(async () => {
  await stopAnalysisWorker(5_000);
  await closeAllModels();
  await dropDb();
  fs.rmSync(env.STORAGE_DIR!, { recursive: true, force: true });
});

const row = async (id: string) => (await db.select().from(analyses).where(eq(analyses.id, id)))[0];

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 90_000): Promise<T> {
  for (const end = Date.now() + ms; ; ) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(v)} after ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("transient retries spent: delayed, then completed", () => {
  let user: TestUser;
  beforeAll(async () => {
    await ensureDemoModel();
    user = await createTestUser("radiologist");
  });

  it("a storage outage longer than the retries leaves the analysis queued as delayed; it completes once the storage is back", async () => {
    const { ids } = await acceptUpload({ actor: user.principal, files: [{ fileName: "delayed.png", bytes: await syntheticFilmPng(901, 256) }] });
    const id = ids[0];
    // The renderings' directory replaced by a plain file: every attempt fails to store them.
    const dir = path.join(env.STORAGE_DIR!, "display");
    fs.mkdirSync(dir, { recursive: true });
    fs.renameSync(dir, `${dir}.away`);
    fs.writeFileSync(dir, "storage unavailable");
    try {
      await startAnalysisWorker("worker");
      const delayed = await until("delayed", () => row(id), (a) => a.errorCode === "delayed");
      expect(delayed).toMatchObject({ status: "queued", attempts: 0 });
    } finally {
      fs.rmSync(dir, { force: true });
      fs.renameSync(`${dir}.away`, dir);
    }
    const done = await until("completed", () => row(id), (a) => a.status !== "queued" && a.status !== "processing");
    expect(done).toMatchObject({ status: "completed", errorCode: null, attempts: 0 });
    expect((await db.select({ n: count() }).from(findings).where(eq(findings.analysisId, id)))[0].n).toBe(18);
  }, 180_000);
});
