// Integration (real PostgreSQL, decoders, demo classifier and the converted fixture view model): with
// VIEW_MODEL_DIR set, the worker checks each film's view from its pixels; a PNG the view model reads as
// lateral is stored with the gate's non_frontal_view warning, a frontal one without it, and the
// findings are stored either way.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-view-check`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-view-check`;
  const { zooModelDir, zooPresent } = await import("@/test/support/zoo-models");
  if (zooPresent) process.env.VIEW_MODEL_DIR = await zooModelDir("view");
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});
afterAll(() => dropDb());

import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { acceptUpload } from "@/lib/uploads/accept-upload";
import { runAnalyses } from "@/lib/jobs/run-analyses";
import { db } from "@/lib/db/client";
import { analyses, findings } from "@/lib/db/schema";
import { readFixture, SKIP_NOTE } from "@/test/support/imaging/fixtures";
import { closeAllModels } from "@/lib/inference";
import { closeZooModels } from "@/lib/inference/zoo-registry";
import { createTestUser, type TestUser } from "@/test/support/principals";
import { ensureDemoModel } from "@/test/support/test-model";
import { readZooReference, zooPresent } from "@/test/support/zoo-models";

describe.skipIf(!zooPresent)("the worker's view check", () => {
  if (!zooPresent) it.skip(SKIP_NOTE, () => {});
  let user: TestUser;
  beforeAll(async () => {
    await ensureDemoModel();
    user = await createTestUser("radiologist");
  });
  afterAll(async () => {
    await closeAllModels();
    await closeZooModels();
  });

  it("flags the film the view model reads as lateral and leaves the frontal one alone", async () => {
    // Per the fixture's reference logits, this random-weight view model reads h0001.png as Lateral and
    // 00000001_000.png as Frontal.
    const ref = readZooReference<{ images: { file: string; logits: number[] }[] }>("view");
    const verdict = (f: string) => {
      const [a, b] = ref.images.find((im) => im.file === f)!.logits;
      return a >= b ? "Frontal" : "Lateral";
    };
    expect([verdict("h0001.png"), verdict("00000001_000.png")]).toEqual(["Lateral", "Frontal"]);

    const ids: string[] = [];
    for (const file of ["h0001.png", "00000001_000.png"]) {
      ids.push(...(await acceptUpload({ actor: user.principal, files: [{ fileName: file, bytes: readFixture("xrv", "images", file) }] })).ids);
    }
    const outcomes = await runAnalyses(ids, "test-view-check");
    expect([...outcomes.values()].map((o) => o.kind)).toEqual(["done", "done"]);

    const [lat] = await db.select().from(analyses).where(eq(analyses.id, ids[0]));
    const [front] = await db.select().from(analyses).where(eq(analyses.id, ids[1]));
    expect(lat.status).toBe("completed");
    expect(lat.warnings).toContainEqual(expect.objectContaining({ code: "non_frontal_view", reason: "view_model_lateral", message: expect.stringMatching(/UNTRAINED demo view model reads this film as a lateral/) }));
    expect(front.status).toBe("completed");
    expect((front.warnings as { code: string }[]).map((w) => w.code)).not.toContain("non_frontal_view");
    expect(await db.select().from(findings).where(eq(findings.analysisId, ids[0]))).toHaveLength(18);
  });
});
