// Integration (real PostgreSQL, pg-boss, decoders and the demo classifier), ANATOMY=queue without an
// anatomy model: the process that saves the findings queues a frontal film's segmentation for another
// worker (a GPU host) and takes none itself; a lateral (DICOM View Position LL) gets a skipped row and no job.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-anatomy-queue`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-anatomy-queue`;
  process.env.ANATOMY = "queue";
  delete process.env.ANATOMY_MODEL_DIR;
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});
afterAll(() => dropDb());

import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { acceptUpload } from "@/lib/uploads/accept-upload";
import { runAnalyses } from "@/lib/jobs/run-analyses";
import { db } from "@/lib/db/client";
import { closeAllModels } from "@/lib/inference";
import { stopQueueEngine } from "@/lib/queue/boss";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";
import { syntheticPixels, writeDicom } from "@/test/support/imaging/dicom-writer";
import { createTestUser, type TestUser } from "@/test/support/principals";
import { ensureDemoModel } from "@/test/support/test-model";
import { anatomyQueued, anatomyRunsHere } from "./anatomy-jobs";
import { anatomyState } from "./anatomy-store";

describe("ANATOMY=queue", () => {
  let user: TestUser;
  beforeAll(async () => {
    await ensureDemoModel();
    user = await createTestUser("radiologist");
  });
  afterAll(async () => {
    await stopQueueEngine();
    await closeAllModels();
  });

  async function analysed(fileName: string, bytes: Buffer): Promise<string> {
    const { ids } = await acceptUpload({ actor: user.principal, files: [{ fileName, bytes }] });
    expect([...(await runAnalyses(ids, "test-anatomy-queue")).values()].map((o) => o.kind)).toEqual(["done"]);
    return ids[0];
  }

  async function jobsFor(id: string): Promise<number> {
    const r = await db.execute(sql`select count(*)::int as n from pgboss.job where name = 'anatomy' and data->>'analysisId' = ${id}`);
    return ((Array.isArray(r) ? r : (r as { rows: unknown[] }).rows)[0] as { n: number }).n;
  }

  it("queues a frontal film's segmentation without running segmentations here", async () => {
    expect([anatomyQueued(), anatomyRunsHere()]).toEqual([true, false]);
    const id = await analysed("frontal.png", await syntheticFilmPng(3, 512, { lungs: 1 }));
    expect(await anatomyState(id)).toEqual({ status: "queued", reason: null });
    expect(await jobsFor(id)).toBe(1);
  });

  it("gives a lateral a skipped row and no job", async () => {
    const rows = 512;
    const columns = 430;
    const lateral = writeDicom({ rows, columns, bitsAllocated: 16, bitsStored: 12, pixels: Uint16Array.from(syntheticPixels(rows, columns, 4095)), extra: [{ tag: 0x00185101, vr: "CS", value: "LL" }] });
    const id = await analysed("lateral.dcm", lateral);
    expect(await anatomyState(id)).toEqual({ status: "skipped", reason: expect.stringMatching(/Not a frontal film/) });
    expect(await jobsFor(id)).toBe(0);
  });
});
