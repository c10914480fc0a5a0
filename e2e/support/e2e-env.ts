// The one description of an end-to-end run, shared by playwright.config.ts, the global setup and the
// specs: which database the built app runs on (E2E_DATABASE: `embedded`, the default a first run gets,
// or `postgres`), the port it listens on, its fresh database and data directory, and the file where
// seeded accounts are written. Computed once in the runner process and handed to the test workers
// (which load the config again) through environment variables, so every process agrees.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { testDatabaseAdminUrl } from "../../test/support/fresh-database";

export type E2eDatabase = "embedded" | "postgres";

export interface E2eEnv {
  /** embedded: the app's PGlite in dataDir, opened by the server alone; postgres: databaseUrl. */
  database: E2eDatabase;
  port: number;
  baseURL: string;
  /** The app's PostgreSQL database (postgres runs only): created and migrated before the server starts. */
  databaseUrl: string | undefined;
  databaseName: string;
  /** The server's DATA_DIR (auth secret, stored images, the embedded database), and where the seeded accounts are written. */
  dataDir: string;
  usersFile: string;
  /** Everything the app server wrote to stdout and stderr during the run. */
  serverLog: string;
  /** Embedded runs: the socket on which the server answers SQL from the specs (e2e/support/embedded-sql-bridge.mjs). */
  sqlSocket: string;
  /** The server that a postgres run's database is created on. */
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

function databaseOf(value: string | undefined): E2eDatabase {
  if (value === undefined || value === "" || value === "embedded") return "embedded";
  if (value === "postgres") return "postgres";
  throw new Error(`E2E_DATABASE must be "embedded" or "postgres", not "${value}"`);
}

/** This run's description (from `env`: a spec starting a server of its own passes that server's settings). */
export function e2eEnv(env: NodeJS.ProcessEnv = process.env): E2eEnv {
  const adminUrl = env.TEST_DATABASE_ADMIN_URL ?? testDatabaseAdminUrl();
  const database = databaseOf(env.E2E_DATABASE);
  if (!env.E2E_RUN_ID) {
    env.E2E_RUN_ID = `${Date.now()}_${crypto.randomBytes(3).toString("hex")}`;
    env.E2E_PORT ??= String(freePort());
    env.E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "cxr-e2e-"));
  }
  const databaseName = `cxr_e2e_${env.E2E_RUN_ID}`;
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  const port = Number(env.E2E_PORT);
  return {
    database,
    port,
    baseURL: `http://127.0.0.1:${port}`,
    databaseUrl: database === "postgres" ? url.toString() : undefined,
    databaseName,
    dataDir: env.E2E_DATA_DIR!,
    usersFile: path.join(env.E2E_DATA_DIR!, "e2e-users.json"),
    serverLog: path.join(env.E2E_DATA_DIR!, "server.log"),
    sqlSocket: path.join(env.E2E_DATA_DIR!, "e2e-sql.sock"),
    adminUrl,
  };
}

/** The app's database settings for a process of this run (the server, an operator command). */
export function appDatabaseEnv(run: E2eEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: run.dataDir };
  // An embedded run must not pick up a DATABASE_URL the developer has exported.
  if (run.databaseUrl) out.DATABASE_URL = run.databaseUrl;
  else delete out.DATABASE_URL;
  return out;
}
