import "server-only";
import path from "node:path";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { dbHandle } from "./client";

const migrationsFolder = path.resolve(process.cwd(), "drizzle");

/** Applies the SQL migrations in drizzle/ to whichever database is configured. Idempotent. */
export async function runMigrations(): Promise<void> {
  const { db, kind } = dbHandle();
  if (kind === "pglite") {
    await migratePglite(db as unknown as PgliteDatabase<Record<string, never>>, { migrationsFolder });
  } else {
    await migratePostgres(db, { migrationsFolder });
  }
}
