import "server-only";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { dataDir, env } from "@/lib/env";
import { acquireEmbeddedDatabase } from "./embedded-lock";
import { listenOnPglite, listenOnPostgres, type Listener, type NotificationHandlers } from "./listen";
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
  /** Listeners opened on this handle (`listen`), closed with it. */
  listeners: Set<Listener>;
  close: () => Promise<void>;
}

export function pgliteDir(): string {
  return path.join(dataDir, "pglite");
}

type Sql = postgres.Sql;

/**
 * The driver as drizzle sees it, with every statement prepared (named, kept per connection by its text).
 * drizzle asks postgres.js for an unprepared statement unless a query is given a name, and postgres.js
 * then sends a parameterised statement in two round trips (parse and describe, wait, then bind and
 * execute): about twice the socket writes per statement, the biggest share of the web process's CPU
 * on the database path under upload load. Prepared, a statement costs one write once it is known to the
 * connection, and the statements of a transaction can share one write (postgres.js pipelines them).
 * The cache is bounded by the app's query shapes and by postgres.js's connection lifetime (30–60 min).
 * A transaction-mode pooler between app and database must support protocol-level prepared statements.
 */
function preparing(sql: Sql): Sql {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === "unsafe") {
        return (query: string, params?: unknown[], options?: object) =>
          target.unsafe(query, params as postgres.ParameterOrJSON<never>[], { ...options, prepare: true });
      }
      if (prop === "begin" || prop === "savepoint") {
        const original = Reflect.get(target, prop, receiver) as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          const fn = args.pop() as (tx: Sql) => unknown;
          return original.call(target, ...args, (tx: Sql) => fn(preparing(tx)));
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

function open(): DbHandle {
  if (env.DATABASE_URL) {
    const sql = postgres(env.DATABASE_URL, { max: 10, onnotice: () => {} });
    const listeners = new Set<Listener>();
    const close = async () => {
      await closeListeners(listeners);
      await sql.end({ timeout: 5 });
    };
    return { db: drizzlePostgres(preparing(sql), { schema }), kind: "postgres", listeners, close };
  }
  const dir = pgliteDir();
  acquireEmbeddedDatabase();
  fs.mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  const listeners = new Set<Listener>();
  const close = async () => {
    await closeListeners(listeners);
    await client.close();
  };
  return { db, kind: "pglite", pglite: client, listeners, close };
}

async function closeListeners(listeners: Set<Listener>): Promise<void> {
  await Promise.all([...listeners].map((l) => l.close()));
  listeners.clear();
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

/**
 * A statement built once per database handle (drizzle's `.prepare()`), for the queries every request
 * runs: building a statement with drizzle costs more of the web process's CPU than sending it (the API
 * key lookup, two tables' columns, about 75 µs a request). Parameters are `sql.placeholder`s. Built
 * again for a handle opened after `closeDb`.
 */
export function preparedOnce<T>(build: (db: Db) => T): () => T {
  const built = new WeakMap<DbHandle, T>();
  return () => {
    const h = handle();
    let statement = built.get(h);
    if (statement === undefined) {
      statement = build(h.db);
      built.set(h, statement);
    }
    return statement;
  };
}

/**
 * Listens for NOTIFY on `channel` (on PostgreSQL over a connection of its own); closed with the database
 * handle (`closeDb`). See ./listen.ts for what a listener can miss.
 */
export function listenDb(channel: string, handlers: NotificationHandlers): Listener {
  const h = handle();
  const listener = h.kind === "pglite" ? listenOnPglite(h.pglite!, channel, handlers) : listenOnPostgres(env.DATABASE_URL!, channel, handlers);
  h.listeners.add(listener);
  return listener;
}

export { handle as dbHandle };
