// Integration (real PostgreSQL, pg-boss, storage directory, decoders and demo model): attempts mean the
// film. A storage outage while the renderings are written and a claim re-run after its worker died are
// retried without counting against the film and end `completed`; a deleted original fails as
// `original_missing` after its attempts; an analysis whose transient retries are spent stays queued as delayed, with a new
// job, and is counted for the alert.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-attempts`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-attempts-${process.pid}`;
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});

import fs from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { acceptUpload } from "@/lib/uploads/accept-upload";
import { runAnalyses } from "@/lib/jobs/run-analyses";
import { db } from "@/lib/db/client";
import { analyses, findings } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";
import { closeAllModels } from "@/lib/inference";
import { metrics } from "@/lib/metrics";
import { ANALYSIS_ATTEMPTS, queueEngine, stopQueueEngine } from "@/lib/queue/boss";
import { requeueDelayed } from "@/lib/queue/delayed";
import { queueDepth } from "@/lib/queue/depth";
import { deleteStored } from "@/lib/storage/content-store";
import { createTestUser, type TestUser } from "@/test/support/principals";
import { ensureDemoModel } from "@/test/support/test-model";

afterAll(async () => {
  await stopQueueEngine(5_000);
  await closeAllModels();
  await dropDb();
  fs.rmSync(env.STORAGE_DIR!, { recursive: true, force: true });
});

const row = async (id: string) => (await db.select().from(analyses).where(eq(analyses.id, id)))[0];
const findingCount = async (id: string) => (await db.select({ n: sql<number>`count(*)::int` }).from(findings).where(eq(findings.analysisId, id)))[0].n;

/**
 * The storage made unwritable for renderings: their directory replaced by a plain file (the tests run
 * as root, for whom a read-only mode changes nothing), as an unmounted or read-only volume refuses writes.
 */
function breakRenderings(): () => void {
  const dir = path.join(env.STORAGE_DIR!, "display");
  const away = `${dir}.away`;
  if (fs.existsSync(dir)) fs.renameSync(dir, away);
  fs.writeFileSync(dir, "not a directory");
  return () => {
    fs.rmSync(dir, { force: true });
    if (fs.existsSync(away)) fs.renameSync(away, dir);
  };
}

describe("attempts mean the film", () => {
  let user: TestUser;
  let seed = 700;
  const accept = async () =>
    (await acceptUpload({ actor: user.principal, files: [{ fileName: `a-${seed}.png`, bytes: await syntheticFilmPng(seed++, 320) }] })).ids[0];

  beforeAll(async () => {
    await ensureDemoModel();
    await queueEngine();
    user = await createTestUser("radiologist");
  });

  it("a storage outage while the renderings are written is retried as often as it lasts, never counted, then completes", async () => {
    const id = await accept();
    const restore = breakRenderings();
    try {
      // More tries than the film's attempt limit: none of them may fail it.
      for (let i = 0; i < 5; i++) {
        const outcome = (await runAnalyses([id], "test-outage")).get(id);
        expect(outcome).toMatchObject({ kind: "retry", code: "storage_unavailable", film: false });
        expect(await row(id)).toMatchObject({ status: "queued", attempts: 0, errorCode: "storage_unavailable" });
      }
    } finally {
      restore();
    }
    expect((await runAnalyses([id], "test-outage")).get(id)).toEqual({ kind: "done" });
    expect(await row(id)).toMatchObject({ status: "completed", attempts: 0, errorCode: null });
    expect(await findingCount(id)).toBe(18);
  });

  it("a claim whose worker died is run again without counting an attempt, and completes once", async () => {
    const id = await accept();
    // The dead worker's claim: the row left `processing` under its id, as a SIGKILL leaves it.
    await db.update(analyses).set({ status: "processing", workerId: "dead-worker" }).where(eq(analyses.id, id));
    expect((await runAnalyses([id], "test-survivor")).get(id)).toEqual({ kind: "done" });
    // A late re-run (the dead worker's job retried after the survivor finished) changes nothing.
    expect((await runAnalyses([id], "test-late")).get(id)).toEqual({ kind: "done" });
    expect(await row(id)).toMatchObject({ status: "completed", attempts: 0, workerId: "test-survivor" });
    expect(await findingCount(id)).toBe(18);
  });

  it("a deleted original fails as original_missing once its attempts are spent", async () => {
    const id = await accept();
    await deleteStored("original", (await row(id)).imageSha256);
    for (let attempt = 1; attempt < ANALYSIS_ATTEMPTS; attempt++) {
      expect((await runAnalyses([id], "test-missing")).get(id)).toMatchObject({ kind: "retry", code: "original_missing", film: true });
      expect(await row(id)).toMatchObject({ status: "queued", attempts: attempt });
    }
    expect((await runAnalyses([id], "test-missing")).get(id)).toMatchObject({ kind: "rejected", code: "original_missing" });
    expect(await row(id)).toMatchObject({ status: "failed", errorCode: "original_missing" });
    expect((await row(id)).error).toMatch(/no longer in the storage/);
  });

  it("spent transient retries leave the analysis queued as delayed, with a new job, counted for the alert", async () => {
    const id = await accept();
    await db.update(analyses).set({ status: "processing", workerId: "dead-worker" }).where(eq(analyses.id, id));
    const before = (await metrics().queue.delayedTotal.get()).values[0]?.value ?? 0;
    expect(await requeueDelayed(await queueEngine(), [id])).toEqual([id]);
    expect(await row(id)).toMatchObject({ status: "queued", errorCode: "delayed" });
    const jobs = await db.execute(
      sql`select state::text as state, start_after > now() as later from pgboss.job where name = 'analysis' and data->>'analysisId' = ${id} and id <> ${id}::uuid`,
    );
    const rows = (Array.isArray(jobs) ? jobs : (jobs as unknown as { rows: unknown[] }).rows) as { state: string; later: boolean }[];
    expect(rows).toEqual([{ state: "created", later: true }]);
    expect((await metrics().queue.delayedTotal.get()).values[0]?.value).toBe(before + 1);
    expect((await queueDepth(true)).delayed).toBe(1);
    // Once the outage is over, the delayed analysis completes like any other.
    expect((await runAnalyses([id], "test-after")).get(id)).toEqual({ kind: "done" });
    expect(await row(id)).toMatchObject({ status: "completed", errorCode: null });
    // A finished analysis is never delayed again.
    expect(await requeueDelayed(await queueEngine(), [id])).toEqual([]);
  });
});
