// Integration: erasing a patient on PostgreSQL (a database of its own, dumped with pg_dump) with files
// in a real S3-protocol server (its bucket directory scanned byte for byte).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, vi } from "vitest";
import { closeAllModels } from "@/lib/inference";
import { stopAnalysisWorker } from "@/lib/jobs/analysis-worker";
import { ensureDemoModel } from "@/test/support/test-model";
import { erasureScenario } from "@/test/support/erasure-scenario";

const { dropDb, s3 } = await vi.hoisted(async () => {
  const { startS3Server } = await import("@/test/support/s3-server");
  const s3 = await startS3Server();
  Object.assign(process.env, s3.env("erase"));
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model`;
  const dropDb = await (await import("@/test/support/isolated-database")).useIsolatedDatabase();
  return { dropDb, s3 };
});

function filesUnder(dir: string): Buffer[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).flatMap((e) => (e.isFile() ? [fs.readFileSync(path.join(e.parentPath, e.name))] : []));
}

await ensureDemoModel();

afterAll(async () => {
  await stopAnalysisWorker();
  await closeAllModels();
  await dropDb();
  await s3.close();
});

describe("erasure on PostgreSQL with S3 storage", () => {
  erasureScenario({
    databaseText: async () => execFileSync("pg_dump", ["--no-owner", process.env.DATABASE_URL!], { encoding: "latin1", maxBuffer: 512 * 1024 * 1024 }),
    storedBytes: async () => filesUnder(s3.directory),
  });
});
