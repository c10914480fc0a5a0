import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDir, env } from "@/lib/env";

// PGlite is a single-process database: a second process writing the same directory sees stale data at
// best and corrupts it at worst. The process that opens it holds a lock file; any other process that
// tries is refused with what to do instead. `npm start` takes the lock before it starts the server and
// hands it to the server process it spawns (EMBEDDED_DB_LOCK_TOKEN), so the two count as one holder.

interface Holder {
  pid: number;
  token: string;
  command: string;
  since: string;
}

export class EmbeddedDatabaseBusyError extends Error {
  readonly code = "EMBEDDED_DB_BUSY";
}

export function embeddedLockPath(): string {
  return path.join(dataDir, "pglite.lock");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(file: string): Holder | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Holder;
  } catch {
    return null;
  }
}

function describe(command: string): string {
  return path.basename(command).replace(/\.ts$/, "");
}

let held: Holder | null = null;

/**
 * Takes the embedded database for this process, or returns the token of a lock already handed to it.
 * Throws EmbeddedDatabaseBusyError when a live process of another command holds it.
 */
export function acquireEmbeddedDatabase(command = process.argv[1] ?? "node"): string {
  if (held) return held.token;
  const file = embeddedLockPath();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    const holder: Holder = { pid: process.pid, token: crypto.randomUUID(), command: describe(command), since: new Date().toISOString() };
    try {
      fs.writeFileSync(file, JSON.stringify(holder), { flag: "wx", mode: 0o600 });
      held = holder;
      process.once("exit", releaseEmbeddedDatabase);
      return holder.token;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const current = readHolder(file);
    if (current && env.EMBEDDED_DB_LOCK_TOKEN && current.token === env.EMBEDDED_DB_LOCK_TOKEN) return current.token;
    if (current && current.pid !== process.pid && isAlive(current.pid)) {
      throw new EmbeddedDatabaseBusyError(
        `The embedded database in ${path.join(dataDir, "pglite")} is in use by another process ` +
          `(${current.command}, pid ${current.pid}, since ${current.since}). It allows one process at a time: ` +
          "stop that process first (API keys and users can also be managed in the running app under Administration), " +
          "or set DATABASE_URL to use PostgreSQL, where the app, workers and these commands run side by side.",
      );
    }
    // The holder is gone (a crash or a kill -9 leaves the file behind): take over.
    fs.rmSync(file, { force: true });
  }
  throw new EmbeddedDatabaseBusyError(`Could not lock the embedded database (${file}); try again.`);
}

/** Gives the lock back; only the process that wrote it removes it. */
export function releaseEmbeddedDatabase(): void {
  if (!held) return;
  const current = readHolder(embeddedLockPath());
  if (current?.token === held.token) fs.rmSync(embeddedLockPath(), { force: true });
  held = null;
}
