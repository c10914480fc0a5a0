import "server-only";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { dataDir, env } from "@/lib/env";
import { acquireEmbeddedDatabase } from "./embedded-lock";
import * as schema from "./schema";

// Both drivers expose the same query builder; the app is typed against one of them so that moving
// between the embedded database and a managed PostgreSQL changes nothing outside this file.
export type Db = PostgresJsDatabase<typeof schema>;

export type DbKind = "postgres" | "pglite";

interface DbHandle {
  db: Db;
  kind: DbKind;
  /** The embedded database itself, for the job queue, which must share this one handle. */
  pglite?: PGlite;
  close: () => Promise<void>;
}

export function pgliteDir(): string {
  return path.join(dataDir, "pglite");
}

function open(): DbHandle {
  if (env.DATABASE_URL) {
    const sql = postgres(env.DATABASE_URL, { max: 10, onnotice: () => {} });
    return { db: drizzlePostgres(sql, { schema }), kind: "postgres", close: () => sql.end({ timeout: 5 }) };
  }
  const dir = pgliteDir();
  acquireEmbeddedDatabase();
  fs.mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, kind: "pglite", pglite: client, close: () => client.close() };
}

// Kept on globalThis so that dev-mode hot reloads reuse one pool (and one embedded database handle,
// which must never be opened twice in a process).
const globalForDb = globalThis as unknown as { cxrDb?: DbHandle };

function handle(): DbHandle {
  globalForDb.cxrDb ??= open();
  return globalForDb.cxrDb;
}

/** The shared database, opened on first use. */
export const db: Db = new Proxy({} as Db, {
  get(_target, prop) {
    const real = handle().db as unknown as Record<PropertyKey, unknown>;
    const value = Reflect.get(real, prop);
    return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(real) : value;
  },
});

export function dbKind(): DbKind {
  return env.DATABASE_URL ? "postgres" : "pglite";
}

export async function closeDb(): Promise<void> {
  const h = globalForDb.cxrDb;
  globalForDb.cxrDb = undefined;
  if (h) await h.close();
}

export { handle as dbHandle };
