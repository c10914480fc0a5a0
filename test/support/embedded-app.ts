import { afterAll, beforeAll, expect } from "vitest";
import { closeImagePool } from "@/lib/analyses/image-pool";
import { closeDb, dbKind } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { closeAllModels } from "@/lib/inference";
import { stopAnalysisWorker } from "@/lib/jobs/analysis-worker";
import { ensureDemoModel } from "./test-model";

/**
 * Hooks for a test of the whole app on the embedded PGlite database inside the test process (the test
 * file points DATA_DIR at its own folder and unsets DATABASE_URL first): migrated with the demo model
 * before, and the worker, the models and the database closed after.
 */
export function onEmbeddedDatabase(): void {
  beforeAll(async () => {
    expect(dbKind()).toBe("pglite");
    await runMigrations();
    await ensureDemoModel();
  });
  afterAll(async () => {
    await stopAnalysisWorker();
    await closeAllModels();
    await closeImagePool();
    await closeDb();
  });
}
