// Vitest global setup: every test run gets fresh PostgreSQL databases (migrated from drizzle/) and data
// directories, one of each per worker process (TEST_FORKS), so runs and workers never see each other's
// rows or files. test/support/fork-environment.ts points each worker at its own pair.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createFreshDatabase } from "./fresh-database";
import { TEST_FORKS } from "./test-forks";

export default async function setup() {
  const databases = await Promise.all(Array.from({ length: TEST_FORKS }, () => createFreshDatabase({ prefix: "cxr_test" })));
  const dataDirs = databases.map(() => fs.mkdtempSync(path.join(os.tmpdir(), "cxr-test-data-")));
  process.env.TEST_FORK_DATABASE_URLS = JSON.stringify(databases.map((d) => d.url));
  process.env.TEST_FORK_DATA_DIRS = JSON.stringify(dataDirs);
  // Production asks admins for a second factor by default (MFA_REQUIRED=admins); the suites' admins are
  // made without one, so the gate is off here and tested by lib/auth/mfa/second-factor.test.ts, which
  // turns it back on for itself.
  process.env.MFA_REQUIRED ??= "off";

  return async () => {
    await Promise.all(databases.map((d) => d.drop()));
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  };
}
