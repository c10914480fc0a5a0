// A second app server for a spec that must start, stop or configure one itself (the shared server of the
// run cannot be restarted under the other specs): its own port, data directory and fresh database of the
// run's kind, prepared and seeded as the shared one is (e2e/support/prepare-database.ts), then served by
// `npm start`'s own entry point.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Role } from "../../lib/core/roles";
import type { SeededUser } from "../../test/support/accounts";
import { waitFor } from "../../test/support/app-cluster";
import { freePort } from "../../test/support/free-port";
import { dropDatabase } from "../../test/support/fresh-database";
import { appDatabaseEnv, e2eEnv, type E2eEnv } from "./e2e-env";

const TSX = ["--import", "tsx", "--conditions=react-server"];

/** Ends a process started detached and everything it started (SIGTERM, then SIGKILL after `graceMs`). */
export async function stopProcessGroup(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  process.kill(-child.pid, "SIGTERM");
  const gone = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), graceMs))]);
  if (!gone) {
    process.kill(-child.pid, "SIGKILL");
    await exited;
  }
}

export class OwnServer {
  private server: ChildProcess | undefined;
  private output = "";

  private constructor(
    readonly run: E2eEnv,
    readonly users: Record<Role, SeededUser>,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get baseURL(): string {
    return this.run.baseURL;
  }

  /** Makes the database and the accounts; the server is started with start(). */
  static async create(): Promise<OwnServer> {
    const settings: NodeJS.ProcessEnv = {
      ...process.env,
      E2E_RUN_ID: `${Date.now()}_${crypto.randomBytes(3).toString("hex")}`,
      E2E_PORT: String(await freePort()),
      E2E_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "cxr-e2e-own-")),
    };
    const run = e2eEnv(settings);
    const env: NodeJS.ProcessEnv = {
      ...appDatabaseEnv(run),
      E2E_RUN_ID: settings.E2E_RUN_ID,
      E2E_PORT: settings.E2E_PORT,
      E2E_DATA_DIR: settings.E2E_DATA_DIR,
      NODE_ENV: "production",
      PORT: String(run.port),
      PUBLIC_URL: run.baseURL,
      MODEL_DIR: path.resolve("models/densenet121-res224-all-demo"),
      LOG_LEVEL: "warn",
      // As on the shared server (playwright.config.ts); a spec passes MFA_REQUIRED to start() to test the gate.
      MFA_REQUIRED: "off",
    };
    const prepared = spawnSync(process.execPath, [...TSX, "e2e/support/prepare-database.ts"], { env, encoding: "utf8", timeout: 120_000 });
    if (prepared.status !== 0) throw new Error(`preparing the database failed (exit ${prepared.status}):\n${prepared.stderr}${prepared.stdout}`);
    const all = JSON.parse(fs.readFileSync(run.usersFile, "utf8")) as SeededUser[];
    const users = Object.fromEntries(all.map((u) => [u.role, u])) as Record<Role, SeededUser>;
    return new OwnServer(run, users, env);
  }

  /** Starts `npm start`'s entry point with `settings` on top (and the `unset` ones removed) and waits until it answers. */
  async start(settings: Record<string, string> = {}, { unset = [] }: { unset?: string[] } = {}): Promise<void> {
    if (this.server) throw new Error("this server is running already");
    this.output = "";
    const env: NodeJS.ProcessEnv = { ...this.env, ...settings };
    for (const name of unset) delete env[name];
    const server = spawn(process.execPath, [...TSX, "lib/cli/start.ts", "-H", "127.0.0.1"], { env, detached: true });
    server.stdout!.on("data", (d) => (this.output += d));
    server.stderr!.on("data", (d) => (this.output += d));
    this.server = server;
    const exited = new Promise<never>((_, reject) => server.once("exit", (code) => reject(new Error(`the server exited with ${code}:\n${this.output}`))));
    // Once it is up, its exit is stop()'s business.
    exited.catch(() => undefined);
    await Promise.race([waitFor(`${this.baseURL}/api/health`, 90_000), exited]);
  }

  /** What the server printed so far. */
  get log(): string {
    return this.output;
  }

  /** The settings it is started with (for running another command beside it). */
  get settings(): NodeJS.ProcessEnv {
    return { ...this.env };
  }

  async stop(): Promise<void> {
    if (this.server) await stopProcessGroup(this.server);
    this.server = undefined;
  }

  /** Stops the server and removes its database and data directory. */
  async dispose(): Promise<void> {
    await this.stop();
    if (this.run.database === "postgres") await dropDatabase(this.run.databaseName, this.run.adminUrl);
    fs.rmSync(this.run.dataDir, { recursive: true, force: true });
  }
}
