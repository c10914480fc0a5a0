// The one description of an end-to-end run, shared by playwright.config.ts, the global setup and the
// specs: which port the built app listens on, its fresh PostgreSQL database and data directory, and the
// file where seeded accounts are written. Computed once in the runner process and handed to the test
// workers (which load the config again) through environment variables, so every process agrees.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { testDatabaseAdminUrl } from "../../lib/testing/fresh-database";

export interface E2eEnv {
  port: number;
  baseURL: string;
  /** The app's database: created, migrated and seeded by e2e/support/global-setup.ts. */
  databaseUrl: string;
  databaseName: string;
  /** The server's DATA_DIR (auth secret, stored images), and where the seeded accounts are written. */
  dataDir: string;
  usersFile: string;
  /** Everything the app server wrote to stdout and stderr during the run. */
  serverLog: string;
  /** The server that the run's database is created on. */
  adminUrl: string;
}

/** An unused TCP port, found synchronously (the config cannot await). */
function freePort(): number {
  const script = "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  const out = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  const port = Number(out.stdout);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`could not find a free port: ${out.stderr}`);
  return port;
}

export function e2eEnv(): E2eEnv {
  const env = process.env;
  const adminUrl = testDatabaseAdminUrl();
  if (!env.E2E_RUN_ID) {
    env.E2E_RUN_ID = `${Date.now()}_${crypto.randomBytes(3).toString("hex")}`;
    env.E2E_PORT ??= String(freePort());
    env.E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "cxr-e2e-"));
  }
  const databaseName = `cxr_e2e_${env.E2E_RUN_ID}`;
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  // The URL the specs' own helpers (e.g. e2e/support/share-support.ts) use to reach the same database.
  env.E2E_DATABASE_URL = url.toString();
  const port = Number(env.E2E_PORT);
  return {
    port,
    baseURL: `http://127.0.0.1:${port}`,
    databaseUrl: url.toString(),
    databaseName,
    dataDir: env.E2E_DATA_DIR!,
    usersFile: path.join(env.E2E_DATA_DIR!, "e2e-users.json"),
    serverLog: path.join(env.E2E_DATA_DIR!, "server.log"),
    adminUrl,
  };
}
