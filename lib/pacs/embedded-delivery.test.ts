// Integration: PACS delivery on the embedded PGlite database (the first-run default), inside one
// process: the delivery job commits with the analysis's results through the single embedded
// connection, and the in-process worker attempts it (the PACS here is a closed port, so it fails).
import { vi } from "vitest";

await vi.hoisted(async () => {
  const { freePort } = await import("@/test/support/pacs/orthanc");
  delete process.env.DATABASE_URL;
  process.env.DATA_DIR = `${process.env.DATA_DIR}/embedded-delivery`;
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model`;
  process.env.DICOMWEB_RESULTS_URL = `http://127.0.0.1:${await freePort()}/dicom-web`;
  process.env.DICOMWEB_RETRY_SECONDS = "1";
  process.env.DICOMWEB_RESULTS_ATTEMPTS = "2";
});

import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { acceptUpload } from "@/lib/uploads/accept-upload";
import { waitForFinished } from "@/lib/analyses/completion";
import { userPrincipal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { analyses, resultDeliveries, users } from "@/lib/db/schema";
import { testInstance } from "@/test/support/dicomweb/instances";
import { DELIVERY_QUEUE } from "@/lib/queue/boss";
import { startAnalysisWorker } from "@/lib/jobs/analysis-worker";
import { onEmbeddedDatabase } from "@/test/support/embedded-app";

describe("PACS delivery on the embedded database", () => {
  onEmbeddedDatabase();

  it("queues the delivery with the results and retries it on the queue until its attempts are spent", async () => {
    const [user] = await db.insert(users).values({ email: "embedded-pacs@example.org", role: "radiologist" }).returning();
    const { ids } = await acceptUpload({ actor: userPrincipal(user), files: [{ fileName: "x.dcm", bytes: testInstance("dx", 41).bytes }] });
    await startAnalysisWorker("web");
    expect(await waitForFinished(ids, 60_000)).toBe(true);
    const [a] = await db.select().from(analyses).where(eq(analyses.id, ids[0]));
    expect(a.status).toBe("completed");

    const deadline = Date.now() + 60_000;
    let row = (await db.select().from(resultDeliveries).where(eq(resultDeliveries.analysisId, ids[0])))[0];
    while (row?.status !== "failed" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      row = (await db.select().from(resultDeliveries).where(eq(resultDeliveries.analysisId, ids[0])))[0];
    }
    expect(row).toMatchObject({ status: "failed", attempts: 2, lastError: "the PACS could not be reached (ECONNREFUSED)" });
    const jobs = await db.execute(sql`select state, retry_count from pgboss.job where name = ${DELIVERY_QUEUE}`);
    const list = Array.isArray(jobs) ? jobs : (jobs as unknown as { rows: unknown[] }).rows;
    expect(list).toEqual([{ state: "failed", retry_count: 1 }]);
  });
});
