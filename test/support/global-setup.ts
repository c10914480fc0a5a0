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
  // Production asks admins for a second factor by default (MFA_REQUIRED=admins); the suites' admins are
  // made without one, so the gate is off here and tested by lib/auth/mfa/second-factor.test.ts, which
  // turns it back on for itself.
  process.env.MFA_REQUIRED ??= "off";

  return async () => {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
