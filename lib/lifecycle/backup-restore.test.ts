// Integration: backup and restore on PostgreSQL (pg_dump / pg_restore), from a database of its own into
// a new, empty one, with local storage on both sides.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, vi } from "vitest";
import { closeAllModels } from "@/lib/inference";
import { createFreshDatabase, type FreshDatabase } from "@/test/support/fresh-database";
import { ensureDemoModel } from "@/test/support/test-model";
import { backupScenario } from "@/test/support/backup-scenario";

const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model`;
  // A storage directory of its own: the run's shared one holds other test files' films, which this
  // database does not know (the storage check would rightly call them orphans).
  process.env.DATA_DIR = `${process.env.DATA_DIR}/backup-postgres`;
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});
const targets: FreshDatabase[] = [];

await ensureDemoModel();

afterAll(async () => {
  await closeAllModels();
  await dropDb();
  for (const t of targets) await t.drop();
});

describe("backup and restore on PostgreSQL", () => {
  backupScenario({
    source: async () => ({ DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: process.env.DATA_DIR, MODEL_DIR: process.env.MODEL_DIR }),
    emptyTarget: async () => {
      const database = await createFreshDatabase({ prefix: "cxr_restore", migrated: false });
      targets.push(database);
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cxr-restore-"));
      return { env: { DATABASE_URL: database.url, DATA_DIR: dataDir, STORAGE_DIR: undefined }, storageDir: path.join(dataDir, "storage") };
    },
  });
});
