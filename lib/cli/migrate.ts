// `npm run db:migrate`: apply drizzle/ migrations to DATABASE_URL, or to the embedded database.
import { closeDb, dbKind } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { runCli } from "./cli-support";

await runCli("usage: npm run db:migrate", async () => {
  try {
    await runMigrations();
    console.log(`migrations applied (${dbKind()})`);
  } finally {
    await closeDb();
  }
});
