// A fresh PostgreSQL database, migrated with the app's own migrations (drizzle/), for a test run, a test
// file or a benchmark: created on the admin server under a unique name and dropped (connections and
// all) by `drop()`. The one way tests and benchmarks get a database of their own.
import crypto from "node:crypto";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

/** The server that tests create their databases on. Test tooling, outside the app's env module. */
export const testDatabaseAdminUrl = (): string => process.env.TEST_DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface FreshDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Drops database `name` on the admin server, connections and all (a no-op when it is gone already). */
export async function dropDatabase(name: string, adminUrl = testDatabaseAdminUrl()): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

/**
 * `name` defaults to `<prefix>_<time>_<random>`; it must be a plain SQL identifier. No connection stays
 * open, so a short-lived process can make the database and exit (another one drops it by name).
 */
export async function createFreshDatabase({
  adminUrl = testDatabaseAdminUrl(),
  prefix = "cxr_test",
  name = `${prefix}_${Date.now()}_${crypto.randomBytes(3).toString("hex")}`,
  migrated = true,
}: { adminUrl?: string; prefix?: string; name?: string; /** false: empty, as a restore needs it. */ migrated?: boolean } = {}): Promise<FreshDatabase> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (error) {
    throw new Error(`Tests need a PostgreSQL server (set TEST_DATABASE_ADMIN_URL; tried ${adminUrl}): ${(error as Error).message}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop = () => dropDatabase(name, adminUrl);
  if (!migrated) return { name, url: url.toString(), drop };
  try {
    const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
    await migrate(drizzle(sql), { migrationsFolder: path.resolve("drizzle") }).finally(() => sql.end());
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return { name, url: url.toString(), drop };
}
