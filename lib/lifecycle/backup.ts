// `npm run backup`: a consistent snapshot of the database, then every stored file with its hash. Files
// are written before the rows that name them commit and deleted only after, so every file the snapshot
// names is there when the files are copied a moment later (unless retention or an erasure removed it in
// between: then `storage:check` on the restored copy names it).
import "server-only";
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { dbHandle, dbKind } from "@/lib/db/client";
import { env } from "@/lib/env";
import { getStoredKey, listStoredKeys, sha256Hex } from "@/lib/storage/content-store";
import { BACKUP_FORMAT, DATABASE_FILE, type BackupManifest } from "./backup-manifest";

const run = promisify(execFile);

async function emptyFolder(dir: string): Promise<void> {
  const existing = await fs.readdir(dir).catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? [] : Promise.reject(e)));
  if (existing.length) throw new Error(`${dir} is not empty: a backup goes into a new or empty folder.`);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
}

async function dumpDatabase(file: string): Promise<void> {
  if (dbKind() === "postgres") {
    // One transaction of pg_dump's own: a consistent snapshot of every schema (the queue's too).
    await run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", `--file=${file}`, env.DATABASE_URL!], { maxBuffer: 16 * 1024 * 1024 });
    return;
  }
  const pglite = dbHandle().pglite!;
  await pglite.waitReady;
  const tarball = await pglite.dumpDataDir("gzip");
  await fs.writeFile(file, Buffer.from(await tarball.arrayBuffer()), { mode: 0o600 });
}

async function entryOf(dir: string, relative: string): Promise<{ path: string; bytes: number; sha256: string }> {
  const bytes = await fs.readFile(path.join(dir, relative));
  return { path: relative, bytes: bytes.length, sha256: sha256Hex(bytes) };
}

export async function backup(outDir: string): Promise<BackupManifest> {
  const dir = path.resolve(outDir);
  await emptyFolder(dir);
  const kind = dbKind();
  await dumpDatabase(path.join(dir, DATABASE_FILE[kind]));
  const files: BackupManifest["files"] = [];
  for (const key of await listStoredKeys()) {
    const bytes = await getStoredKey(key);
    if (!bytes) continue; // removed since it was listed
    const relative = path.posix.join("files", key);
    await fs.mkdir(path.dirname(path.join(dir, relative)), { recursive: true, mode: 0o700 });
    await fs.writeFile(path.join(dir, relative), bytes, { mode: 0o600 });
    files.push({ key, path: relative, bytes: bytes.length, sha256: sha256Hex(bytes) });
  }
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    createdAt: new Date().toISOString(),
    database: { kind, ...(await entryOf(dir, DATABASE_FILE[kind])) },
    files,
  };
  await fs.writeFile(path.join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 1)}\n`, { mode: 0o600 });
  return manifest;
}
