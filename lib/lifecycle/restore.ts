// `npm run restore`: a backup into an EMPTY database and storage (those DATABASE_URL or DATA_DIR and
// STORAGE_DIR or STORAGE_URL name). Every file of the backup is checked against its manifest first, so
// a damaged backup is refused before anything is written.
import "server-only";
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { dbKind, pgliteDir } from "@/lib/db/client";
import { acquireEmbeddedDatabase } from "@/lib/db/embedded-lock";
import { env } from "@/lib/env";
import { listStoredKeys, putStoredKey, sha256Hex } from "@/lib/storage/content-store";
import { BackupManifest } from "./backup-manifest";

const run = promisify(execFile);

async function readManifest(dir: string): Promise<BackupManifest> {
  const text = await fs.readFile(path.join(dir, "manifest.json"), "utf8").catch(() => {
    throw new Error(`${dir} holds no manifest.json: not a backup made by npm run backup.`);
  });
  const parsed = BackupManifest.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${dir}/manifest.json is not a backup manifest of this app: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

async function verified(dir: string, entry: { path: string; sha256: string }): Promise<Buffer> {
  const bytes = await fs.readFile(path.join(dir, entry.path));
  if (sha256Hex(bytes) !== entry.sha256) throw new Error(`The backup is damaged: ${entry.path} does not match its sha256 in the manifest.`);
  return bytes;
}

async function requireEmptyTarget(): Promise<void> {
  if (dbKind() === "postgres") {
    const sql = postgres(env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from information_schema.tables where table_schema in ('public', 'pgboss', 'drizzle')`;
      if (n > 0) throw new Error("The database DATABASE_URL names is not empty: restore into a new, empty database.");
    } finally {
      await sql.end();
    }
  } else {
    const entries = await fs.readdir(pgliteDir()).catch(() => []);
    if (entries.length) throw new Error(`The embedded database in ${pgliteDir()} is not empty: restore into a new DATA_DIR.`);
  }
  if ((await listStoredKeys()).length) throw new Error("The file storage is not empty: restore into new, empty storage.");
}

export async function restore(fromDir: string): Promise<{ files: number }> {
  const dir = path.resolve(fromDir);
  const manifest = await readManifest(dir);
  if (manifest.database.kind !== dbKind()) {
    throw new Error(`This backup is of a ${manifest.database.kind} database; the settings name a ${dbKind()} one.`);
  }
  const database = await verified(dir, manifest.database);
  for (const f of manifest.files) await verified(dir, f);
  await requireEmptyTarget();

  if (manifest.database.kind === "postgres") {
    await run("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", `--dbname=${env.DATABASE_URL!}`, path.join(dir, manifest.database.path)], { maxBuffer: 16 * 1024 * 1024 });
  } else {
    acquireEmbeddedDatabase();
    await fs.mkdir(pgliteDir(), { recursive: true });
    const pglite = new PGlite(pgliteDir(), { loadDataDir: new Blob([new Uint8Array(database)]) });
    await pglite.waitReady;
    await pglite.close();
  }
  for (const f of manifest.files) await putStoredKey(f.key, await verified(dir, f));
  return { files: manifest.files.length };
}
