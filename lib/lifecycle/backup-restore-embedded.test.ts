// Integration: backup and restore on the embedded database (its data directory's tarball), from one
// DATA_DIR into a new one, with local storage on both sides.
import { vi } from "vitest";

vi.hoisted(() => {
  delete process.env.DATABASE_URL;
  process.env.DATA_DIR = `${process.env.DATA_DIR}/backup-embedded`;
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model`;
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe } from "vitest";
import { closeDb } from "@/lib/db/client";
import { releaseEmbeddedDatabase } from "@/lib/db/embedded-lock";
import { onEmbeddedDatabase } from "@/test/support/embedded-app";
import { backupScenario } from "@/test/support/backup-scenario";

describe("backup and restore on the embedded database", () => {
  onEmbeddedDatabase();
  backupScenario({
    // The embedded database allows one process: the test's lets go before the commands run.
    source: async () => {
      await closeDb();
      releaseEmbeddedDatabase();
      return { DATABASE_URL: undefined, DATA_DIR: process.env.DATA_DIR };
    },
    emptyTarget: async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cxr-restore-embedded-"));
      return { env: { DATABASE_URL: undefined, DATA_DIR: dataDir, STORAGE_DIR: undefined }, storageDir: path.join(dataDir, "storage") };
    },
  });
});
