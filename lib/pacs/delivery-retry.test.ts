// Integration: deliveries to a PACS that never answers (a closed port) on PostgreSQL: owed only for
// DICOM sources, retried with backoff until the attempts are spent, then "failed" without touching the
// analysis; an admin's retry starts them again and is audited.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  const { freePort } = await import("@/lib/pacs/testing/orthanc");
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-pacs-retry`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-pacs-retry`;
  // Nothing listens there: every attempt fails to connect.
  process.env.DICOMWEB_RESULTS_URL = `http://127.0.0.1:${await freePort()}/dicom-web`;
  process.env.DICOMWEB_RETRY_SECONDS = "0.2";
  process.env.DICOMWEB_RESULTS_ATTEMPTS = "3";
  process.env.RATE_LIMIT_PER_KEY = "0";
  process.env.RATE_LIMIT_PER_IP = "0";
  return (await import("@/lib/testing/isolated-database")).useIsolatedDatabase();
});

import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as retryRoute from "@/app/api/admin/pacs-deliveries/retry/route";
import { createAnalysis } from "@/lib/analyses/create-analysis";
import { db } from "@/lib/db/client";
import { analyses, auditEvents, resultDeliveries } from "@/lib/db/schema";
import { testInstance } from "@/lib/dicomweb/testing/instances";
import { syntheticFilmPng } from "@/lib/imaging/testing/synthetic-film";
import { closeAllModels } from "@/lib/inference";
import { call, createTestUser, type TestUser } from "@/lib/testing/principals";
import { ensureDemoModel } from "@/lib/testing/test-model";
import { backoffSeconds } from "./delivery-queue";
import { stopDeliveryWorker } from "./delivery-worker";

let admin: TestUser;

beforeAll(async () => {
  await ensureDemoModel();
  admin = await createTestUser("admin");
});
afterAll(async () => {
  await stopDeliveryWorker();
  await closeAllModels();
  await dropDb();
});

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const deliveryOf = async (analysisId: string) =>
  (await db.select().from(resultDeliveries).where(and(eq(resultDeliveries.analysisId, analysisId), eq(resultDeliveries.reviewVersion, 0))))[0];

describe("result deliveries to an unreachable PACS", () => {
  it("backs off by doubling from DICOMWEB_RETRY_SECONDS, capped at an hour", () => {
    expect([1, 2, 3].map(backoffSeconds)).toEqual([0.2, 0.4, 0.8]);
    expect(backoffSeconds(40)).toBe(3600);
  });

  it("owes nothing for an image upload, and fails a DICOM source's results only after the attempts, the analysis untouched", async () => {
    const png = await createAnalysis({ actor: admin.principal, fileName: "film.png", bytes: await syntheticFilmPng(5) });
    expect(await deliveryOf(png.id)).toBeUndefined();

    const { id } = await createAnalysis({ actor: admin.principal, fileName: "x.dcm", bytes: testInstance("dx", 31).bytes });
    const [analysis] = await db.select().from(analyses).where(eq(analyses.id, id));
    expect(analysis.status).toBe("completed");
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
});
