// Integration (real PostgreSQL): a worker registers the retention schedule, and a job on the retention
// queue applies the site's rules.
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { analyses, images } from "@/lib/db/schema";
import { closeAllModels } from "@/lib/inference";
import { queueEngine } from "@/lib/queue/boss";
import { startAnalysisWorker, stopAnalysisWorker } from "@/lib/jobs/analysis-worker";
import { ensureDemoModel } from "@/test/support/test-model";
import { seedAnalysis, seedUser } from "@/test/support/triage/seed";
import { RETENTION_QUEUE } from "./retention-job";
import { saveRetentionRules } from "./rules";

const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model`;
  process.env.RETENTION_SCHEDULE = "5 4 * * *";
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});

afterAll(async () => {
  await stopAnalysisWorker();
  await closeAllModels();
  await dropDb();
});

describe("the retention job", () => {
  it("is scheduled by the worker and applies the rules when it runs", async () => {
    await ensureDemoModel();
    await startAnalysisWorker("web");
    const boss = await queueEngine();
    const schedules = await boss.getSchedules(RETENTION_QUEUE);
    expect(schedules.map((s) => s.cron)).toEqual(["5 4 * * *"]);

    const reader = await seedUser("radiologist");
    const id = await seedAnalysis({ uploadedBy: reader.userId, createdAt: new Date(Date.now() - 10 * 24 * 3600 * 1000) });
    const [{ sha }] = await db.select({ sha: analyses.imageSha256 }).from(analyses).where(eq(analyses.id, id));
    await saveRetentionRules({ originalsDays: 7, renderingsDays: null, analysesDays: null });
    await boss.send(RETENTION_QUEUE, {});
    const deadline = Date.now() + 90_000;
    let removedAt: Date | null = null;
    while (!removedAt && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      [{ removedAt }] = await db.select({ removedAt: images.originalRemovedAt }).from(images).where(eq(images.sha256, sha));
    }
    expect(removedAt).toBeInstanceOf(Date);
  });
});
