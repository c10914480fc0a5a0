// Integration (real PostgreSQL, decoders and demo model): a claim of several films of different sizes
// and kinds, analysed as one batch (where the worker reuses pixel buffers between images), stores for
// each exactly what analysing it alone stores: findings, CAM, warnings, metadata, triage, and renderings
// byte for byte the same as rendering the file on its own.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-run-batch`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-run-batch`;
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});
afterAll(() => dropDb());

import { asc, eq } from "drizzle-orm";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { acceptUpload } from "@/lib/uploads/accept-upload";
import { runAnalyses } from "@/lib/jobs/run-analyses";
import { db } from "@/lib/db/client";
import { analyses, analysisCams, findings } from "@/lib/db/schema";
import { decodeImage, renderDisplayImages } from "@/lib/imaging";
import { syntheticPixels, writeDicom } from "@/test/support/imaging/dicom-writer";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";
import { closeAllModels } from "@/lib/inference";
import { getStored } from "@/lib/storage/content-store";
import { createTestUser, type TestUser } from "@/test/support/principals";
import { ensureDemoModel } from "@/test/support/test-model";

async function films(tag: number): Promise<{ name: string; bytes: Buffer }[]> {
  const grey16 = Uint16Array.from(syntheticPixels(420, 380, 4095 * 16, { noise: 0.03, seed: tag }));
  const rgb = Uint8Array.from(syntheticPixels(300, 340, 255, { noise: 0.03, seed: tag + 1 }).flatMap((v) => [v, v, Math.min(255, v + 2)]));
  return [
    { name: "a.png", bytes: await syntheticFilmPng(tag, 512) },
    { name: "b.png", bytes: await syntheticFilmPng(tag + 1, 480) },
    { name: "c16.png", bytes: await sharp(grey16, { raw: { width: 380, height: 420, channels: 1 } }).toColourspace("grey16").png().toBuffer() },
    { name: "d.dcm", bytes: writeDicom({ rows: 300, columns: 256, bitsStored: 12, pixels: Uint16Array.from(syntheticPixels(300, 256, 4095, { seed: tag })) }) },
    { name: "e-rgb.png", bytes: await sharp(rgb, { raw: { width: 340, height: 300, channels: 3 } }).png().toBuffer() },
    { name: "f.png", bytes: await syntheticFilmPng(tag + 2, 500) },
  ];
}

async function stored(id: string) {
  const [a] = await db.select().from(analyses).where(eq(analyses.id, id));
  const f = await db.select().from(findings).where(eq(findings.analysisId, id)).orderBy(asc(findings.position));
  const [cam] = await db.select().from(analysisCams).where(eq(analysisCams.analysisId, id));
  return {
    status: a.status,
    metadata: a.metadata,
    warnings: a.warnings,
    triage: a.triageLevel,
    findings: f.map(({ label, logit, probability, calibrated, positive, position }) => ({ label, logit, probability, calibrated, positive, position })),
    cam: { shape: cam?.shape, data: cam?.data },
  };
}

describe("a batch stores what each image alone stores", () => {
  let user: TestUser;
  beforeAll(async () => {
    await ensureDemoModel();
    user = await createTestUser("radiologist");
  });
  afterAll(() => closeAllModels());

  it("findings, CAMs, warnings and renderings are the same as one image at a time", async () => {
    const accept = async (files: { name: string; bytes: Buffer }[]) => {
      const ids: string[] = [];
      for (const f of files) ids.push(...(await acceptUpload({ actor: user.principal, files: [{ fileName: f.name, bytes: f.bytes }] })).ids);
      return ids;
    };
    // Two sets of films: the first analysed as one claim, the second (other files, so renderings are
    // made anew) image by image; then each file's results are checked against the same file analysed
    // alone, in a database row of its own.
    const set = await films(31);
    const batchIds = await accept(set);
    const outcomes = await runAnalyses(batchIds, "test-batch");
    expect([...outcomes.values()].every((o) => o.kind === "done")).toBe(true);

    const aloneIds = await accept(set.map((f) => ({ ...f, name: `alone-${f.name}` })));
    for (const id of aloneIds) expect((await runAnalyses([id], "test-alone")).get(id)?.kind).toBe("done");

    for (const [i, f] of set.entries()) {
      const inBatch = await stored(batchIds[i]);
      expect(inBatch.status, f.name).toBe("completed");
      expect(inBatch.findings, f.name).toHaveLength(18);
      expect(inBatch, f.name).toEqual(await stored(aloneIds[i]));

      // Renderings: made in the batch, compared with rendering the file by itself.
      const [row] = await db.select({ sha: analyses.imageSha256 }).from(analyses).where(eq(analyses.id, batchIds[i]));
      const fresh = await renderDisplayImages(await decodeImage(f.bytes, { qualityGates: "warn" }));
      expect(Buffer.compare((await getStored("display", row.sha))!, fresh.full), `${f.name} display`).toBe(0);
      expect(Buffer.compare((await getStored("thumbnail", row.sha))!, fresh.thumbnail), `${f.name} thumbnail`).toBe(0);
    }
  });
});
