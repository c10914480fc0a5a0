// A database of its own for a test file whose subject is global state (e.g. "the last active admin"):
// other test files share the run's database and run at the same time. Call from vi.hoisted, before
// anything opens the database:
//
//   const dropDb = await vi.hoisted(async () => (await import("@/test/support/isolated-database")).useIsolatedDatabase());
//   afterAll(() => dropDb());
import crypto from "node:crypto";
import { createFreshDatabase } from "./fresh-database";

export async function useIsolatedDatabase(): Promise<() => Promise<void>> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("DATABASE_URL is not set: run through vitest (its global setup creates the database)");
  const database = await createFreshDatabase({ adminUrl: base, name: `${new URL(base).pathname.slice(1)}_${crypto.randomBytes(3).toString("hex")}` });
  process.env.DATABASE_URL = database.url;
  return async () => {
    const { closeDb } = await import("@/lib/db/client");
    await closeDb();
    await database.drop();
  };
}
