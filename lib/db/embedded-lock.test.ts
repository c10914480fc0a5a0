// The embedded database has one writer: while a process holds it, the writing commands and a second
// server are refused with a message that says what to do, and a holder that died leaves no lock behind.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// node with tsx as a loader, not the tsx command: that one runs the script in a child process, which a
// kill of the command would leave running.
const node = (script: string, ...args: string[]) => [process.execPath, ["--conditions=react-server", "--import", "tsx", script, ...args]] as const;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cxr-lock-"));

function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "warn" };
  delete env.DATABASE_URL;
  delete env.EMBEDDED_DB_LOCK_TOKEN;
  return env;
}

function run(script: string, ...args: string[]): { status: number | null; output: string } {
  const [cmd, argv] = node(script, ...args);
  const r = spawnSync(cmd, argv, { env: cliEnv(), encoding: "utf8", timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

function startHolder(): Promise<ChildProcess> {
  const [cmd, argv] = node("test/support/hold-embedded-db.ts");
  const child = spawn(cmd, argv, { env: cliEnv() });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("ready")) resolve(child);
    });
    child.stderr!.on("data", (d) => (out += d));
    child.once("exit", (code) => reject(new Error(`holder exited with ${code}: ${out}`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

describe("embedded database lock", () => {
  let holder: ChildProcess;

  beforeAll(async () => {
    const migrated = run("lib/cli/migrate.ts");
    expect(migrated.status, migrated.output).toBe(0);
    expect(fs.existsSync(path.join(dataDir, "pglite.lock")), "a finished command leaves no lock").toBe(false);
    holder = await startHolder();
  });

  afterAll(async () => {
    if (holder.exitCode === null && holder.signalCode === null) await killed(holder);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("refuses the writing commands while another process holds it, saying what to do", () => {
    const lock = JSON.parse(fs.readFileSync(path.join(dataDir, "pglite.lock"), "utf8")) as { pid: number };
    expect(lock.pid).toBe(holder.pid);
    for (const [script, ...args] of [
      ["lib/cli/migrate.ts"],
      ["lib/cli/apikey-create.ts", "--email", "admin@example.org", "--name", "k", "--scopes", "analyses:read"],
      ["lib/cli/setup.ts", "--no-build"],
    ]) {
      const r = run(script!, ...args);
      expect(r.status, `${script}: ${r.output}`).toBe(1);
      expect(r.output).toContain("is in use by another process");
      expect(r.output).toContain(`pid ${holder.pid}`);
      expect(r.output).toContain("DATABASE_URL");
      expect(r.output).not.toMatch(/at .+\.ts:\d+/); // a message, not a stack trace
    }
  });

  it("lets the next command in once the holder is gone, even after a kill -9", async () => {
    await killed(holder);
    const r = run("lib/cli/migrate.ts");
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain("migrations applied (pglite)");
  });
});
