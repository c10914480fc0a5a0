// A database of its own for a test file whose subject is global state (e.g. "the last active admin"):
// other test files share the run's database and run at the same time. Call from vi.hoisted, before
// anything opens the database:
//
//   const dropDb = await vi.hoisted(async () => (await import("@/lib/testing/isolated-database")).useIsolatedDatabase());
//   afterAll(() => dropDb());
import crypto from "node:crypto";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

export async function useIsolatedDatabase(): Promise<() => Promise<void>> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("DATABASE_URL is not set: run through vitest (its global setup creates the database)");
  const name = `${new URL(base).pathname.slice(1)}_${crypto.randomBytes(3).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
  await migrate(drizzle(sql), { migrationsFolder: path.resolve("drizzle") });
  await sql.end();
  process.env.DATABASE_URL = url.toString();
  return async () => {
    const { closeDb } = await import("@/lib/db/client");
    await closeDb();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
}
