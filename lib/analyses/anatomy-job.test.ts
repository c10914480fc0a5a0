// Integration (real PostgreSQL, pg-boss, decoders, demo classifier and the converted fixture PSPNet):
// with ANATOMY_MODEL_DIR set, saving a frontal film's findings queues its segmentation as a job of its
// own (the findings are complete before it runs); the job stores the CTR the reference gives, the packed
// masks and the finding zones; a film that cannot be segmented marks only the anatomy failed.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-anatomy-job`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-anatomy-job`;
  const { zooModelDir, zooPresent } = await import("@/test/support/zoo-models");
  if (zooPresent) process.env.ANATOMY_MODEL_DIR = await zooModelDir("pspnet");
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});
afterAll(() => dropDb());

import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { acceptUpload } from "@/lib/uploads/accept-upload";
import { runAnalyses } from "@/lib/jobs/run-analyses";
import { db } from "@/lib/db/client";
import { analyses, analysisAnatomy } from "@/lib/db/schema";
import { readFixture, SKIP_NOTE } from "@/test/support/imaging/fixtures";
import { closeAllModels } from "@/lib/inference";
import { closeZooModels } from "@/lib/inference/zoo-registry";
import { createTestUser, type TestUser } from "@/test/support/principals";
import { ensureDemoModel } from "@/test/support/test-model";
import { readZooReference, zooPresent } from "@/test/support/zoo-models";
import { anatomyState, findAnatomy } from "./anatomy-store";
import { runAnatomyFor } from "./anatomy-step";
import { unpackMask } from "@/lib/anatomy/masks";
import { stopQueueEngine } from "@/lib/queue/boss";
import { attemptAnatomy } from "@/lib/jobs/anatomy-worker";

type Ref = { images: { file: string; ctr: { ratio: number | null; heart: { width: number; row: number }; thorax: { width: number; row: number } }; mask_pixels: number[] }[] };

describe.skipIf(!zooPresent)("the anatomy job", () => {
  if (!zooPresent) it.skip(SKIP_NOTE, () => {});
  let user: TestUser;
  beforeAll(async () => {
    await ensureDemoModel();
    user = await createTestUser("radiologist");
  });
  afterAll(async () => {
    await stopQueueEngine();
    await closeAllModels();
    await closeZooModels();
  });

  async function analysed(file: string): Promise<string> {
    const { ids } = await acceptUpload({ actor: user.principal, files: [{ fileName: file, bytes: readFixture("xrv", "images", file) }] });
    const outcomes = await runAnalyses(ids, "test-anatomy");
    expect([...outcomes.values()].map((o) => o.kind)).toEqual(["done"]);
    return ids[0];
  }

  it("queues a frontal film's segmentation with its findings and stores the reference's CTR and masks", { timeout: 300_000 }, async () => {
    const file = "00027426_000.png";
    const id = await analysed(file);
    const [row] = await db.select().from(analyses).where(eq(analyses.id, id));
    expect(row.status).toBe("completed");
    expect(await anatomyState(id)).toEqual({ status: "queued", reason: null });
    expect(await findAnatomy(id)).toBeNull();
    const jobs = await db.execute(sql`select count(*)::int as n from pgboss.job where name = 'anatomy' and data->>'analysisId' = ${id}`);
    expect(((Array.isArray(jobs) ? jobs : (jobs as { rows: unknown[] }).rows)[0] as { n: number }).n).toBe(1);

    const outcome = await runAnatomyFor(id);
    expect(outcome.kind).toBe("saved");
    const stored = await findAnatomy(id, { withMasks: true });
    const ref = readZooReference<Ref>("pspnet").images.find((im) => im.file === file)!;
    expect(stored).not.toBeNull();
    const { summary, masks } = stored!;
    expect(summary.ctr.ratio).not.toBeNull();
    expect(Math.abs(summary.ctr.heartWidth - ref.ctr.heart.width)).toBeLessThanOrEqual(2);
    expect(Math.abs(summary.ctr.thoracicWidth - ref.ctr.thorax.width)).toBeLessThanOrEqual(2);
    expect(summary.targets).toHaveLength(14);
    expect(summary.projection).toBeNull();
    expect(summary.apNote).toBeNull();
    expect(summary.model.trained).toBe(false);
    expect(summary.film.heart).not.toBeNull();
    expect(summary.findingZones).toBeDefined();
    expect(masks).toHaveLength((14 * 512 * 512) / 8);
    // The stored bits give back the counts the summary states.
    const heart = unpackMask(masks!, 8, 512).reduce((a, b) => a + b, 0);
    expect(heart).toBe(summary.maskPixels[8]);
    expect(Math.abs(heart - ref.mask_pixels[8]) / Math.max(1, ref.mask_pixels[8])).toBeLessThan(0.01);
    // Running it again (a retried job) writes the same row.
    const [again] = await db.select({ status: analysisAnatomy.status }).from(analysisAnatomy).where(eq(analysisAnatomy.analysisId, id));
    expect(again.status).toBe("completed");
  });

  it("a film that can no longer be read fails only its anatomy", async () => {
    const id = await analysed("tb0005.png");
    const [{ sha }] = await db.select({ sha: analyses.imageSha256 }).from(analyses).where(eq(analyses.id, id));
    const { deleteStored } = await import("@/lib/storage/content-store");
    await deleteStored("original", sha);
    expect(await runAnatomyFor(id)).toEqual({ kind: "unusable", reason: expect.stringMatching(/no longer stored/) });
    // The worker's handling of it: the job ends (no retry can help), the anatomy is failed with the reason.
    expect(await attemptAnatomy({ id: "job", data: { analysisId: id }, retryCount: 0 })).toEqual({ id: "job", status: "completed" });
    expect(await anatomyState(id)).toEqual({ status: "failed", reason: expect.stringMatching(/no longer stored/) });
    const [row] = await db.select().from(analyses).where(eq(analyses.id, id));
    expect(row.status).toBe("completed");
  });
});
