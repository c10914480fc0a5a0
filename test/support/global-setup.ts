// Vitest global setup: every test run gets its own fresh PostgreSQL database (migrated from drizzle/)
// and its own data directory, so runs never see each other's rows or files.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createFreshDatabase } from "./fresh-database";

export default async function setup() {
  const database = await createFreshDatabase({ prefix: "cxr_test" });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cxr-test-data-"));
  process.env.DATABASE_URL = database.url;
  process.env.DATA_DIR = dataDir;

  return async () => {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
