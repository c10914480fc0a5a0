// Integration: deliveries to a PACS that never answers (a closed port) on PostgreSQL: owed only for
// DICOM sources, queued as pg-boss jobs in the analysis's own transaction, retried by the queue with
// backoff until the attempts are spent, then "failed" without touching the analysis; an admin's retry
// queues them again and is audited; one whose worker died during its last attempt ends "failed" too.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  const { freePort } = await import("@/test/support/pacs/orthanc");
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-pacs-retry`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-pacs-retry`;
  // Nothing listens there: every attempt fails to connect.
  process.env.DICOMWEB_RESULTS_URL = `http://127.0.0.1:${await freePort()}/dicom-web`;
  process.env.DICOMWEB_RETRY_SECONDS = "1";
  process.env.DICOMWEB_RESULTS_ATTEMPTS = "3";
  process.env.RATE_LIMIT_PER_KEY = "0";
  process.env.RATE_LIMIT_PER_IP = "0";
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});

import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as retryRoute from "@/app/api/admin/pacs-deliveries/retry/route";
import { createAnalysis } from "@/test/support/create-analysis";
import { db } from "@/lib/db/client";
import { analyses, auditEvents, resultDeliveries } from "@/lib/db/schema";
import { testInstance } from "@/test/support/dicomweb/instances";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";
import { closeAllModels } from "@/lib/inference";
import { call, createTestUser, type TestUser } from "@/test/support/principals";
import { ensureDemoModel } from "@/test/support/test-model";
import { UNFINISHED_ATTEMPT_REASON } from "@/lib/pacs/delivery-jobs";
import { DELIVERY_QUEUE, queueEngine } from "@/lib/queue/boss";
import { startAnalysisWorker, stopAnalysisWorker } from "@/lib/jobs/analysis-worker";

let admin: TestUser;

beforeAll(async () => {
  await ensureDemoModel();
  admin = await createTestUser("admin");
  // The worker every analysing process runs: it works the delivery queue too.
  await startAnalysisWorker("worker");
});
afterAll(async () => {
  await stopAnalysisWorker();
  await closeAllModels();
  await dropDb();
});

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const jobsOf = async (analysisId: string) =>
  [...(await db.execute<{ state: string; retry_count: number }>(sql`select state, retry_count from pgboss.job where name = ${DELIVERY_QUEUE} and data->>'analysisId' = ${analysisId}`))];

const deliveryOf = async (analysisId: string) =>
  (await db.select().from(resultDeliveries).where(and(eq(resultDeliveries.analysisId, analysisId), eq(resultDeliveries.reviewVersion, 0))))[0];

describe("result deliveries to an unreachable PACS", () => {
  it("retries on the job queue: DICOMWEB_RESULTS_ATTEMPTS attempts, from DICOMWEB_RETRY_SECONDS doubling up to an hour", async () => {
    const rows = await db.execute<{ retry_limit: number; retry_delay: number; retry_backoff: boolean; retry_delay_max: number }>(
      sql`select retry_limit, retry_delay, retry_backoff, retry_delay_max from pgboss.queue where name = ${DELIVERY_QUEUE}`,
    );
    expect([...rows]).toEqual([{ retry_limit: 2, retry_delay: 1, retry_backoff: true, retry_delay_max: 3600 }]);
  });

  it("owes nothing for an image upload, and fails a DICOM source's results only after the attempts, the analysis untouched", async () => {
    const png = await createAnalysis({ actor: admin.principal, fileName: "film.png", bytes: await syntheticFilmPng(5) });
    expect(await deliveryOf(png.id)).toBeUndefined();
    expect(await jobsOf(png.id)).toHaveLength(0);

    const { id } = await createAnalysis({ actor: admin.principal, fileName: "x.dcm", bytes: testInstance("dx", 31).bytes });
    const [analysis] = await db.select().from(analyses).where(eq(analyses.id, id));
    expect(analysis.status).toBe("completed");
    // The job was committed with the results: one, on the delivery queue.
    expect(await jobsOf(id)).toHaveLength(1);
    const failed = await until("the delivery to fail", async () => {
      const d = await deliveryOf(id);
      return d?.status === "failed" ? d : null;
    });
    expect(failed.attempts).toBe(3);
    expect(failed.lastError).toMatch(/^the PACS could not be reached \(ECONNREFUSED\)$/);

    const res = await call(retryRoute.POST, "/api/admin/pacs-deliveries/retry", {
      method: "POST",
      headers: { cookie: admin.cookie },
      json: { analysisId: id, reviewVersion: 0 },
    });
    expect(res.status).toBe(200);
    const [audit] = await db.select().from(auditEvents).where(eq(auditEvents.action, "pacs.delivery_retry"));
    expect(audit.targetId).toBe(id);
    // The retry is a new job; the spent one stays failed in the queue.
    const jobs = await jobsOf(id);
    expect(jobs).toHaveLength(2);
    expect(jobs.filter((j) => j.state === "failed" && j.retry_count === 2)).toHaveLength(1);
    // Sent again from the first attempt: it runs through its attempts once more.
    await until("the retried delivery to fail again", async () => {
      const d = await deliveryOf(id);
      return d?.status === "failed" && d.attempts === 3 && d.nextAttemptAt > failed.nextAttemptAt;
    });
    const again = await call(retryRoute.POST, "/api/admin/pacs-deliveries/retry", {
      method: "POST",
      headers: { cookie: admin.cookie },
      json: { analysisId: id, reviewVersion: 1 },
    });
    expect(again.status).toBe(404);
  });

  it("a delivery whose worker died during its last attempt ends failed, not pending for ever", async () => {
    const { id } = await createAnalysis({ actor: admin.principal, fileName: "z.dcm", bytes: testInstance("dx", 33).bytes });
    // Two attempts recorded, the third one's worker gone: the row says pending and nothing reports back.
    await db.insert(resultDeliveries).values({ analysisId: id, reviewVersion: 7, status: "pending", attempts: 2, lastError: "HTTP 503" });
    const boss = await queueEngine();
    // Held back from the running worker; failed as pg-boss fails a job whose worker stopped answering
    // (its heartbeat or expiry lapsed), with no retry left.
    const jobId = await boss.send(DELIVERY_QUEUE, { analysisId: id, reviewVersion: 7 }, { retryLimit: 0, startAfter: 3600 });
    await boss.fail(DELIVERY_QUEUE, jobId!);
    const d = await until("the unfinished delivery to be failed", async () => {
      const [row] = await db.select().from(resultDeliveries).where(and(eq(resultDeliveries.analysisId, id), eq(resultDeliveries.reviewVersion, 7)));
      return row.status === "failed" ? row : null;
    });
    expect(d.lastError).toBe(UNFINISHED_ATTEMPT_REASON);
    expect(d.attempts).toBe(2);
  });
});
