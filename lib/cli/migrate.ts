// `npm run db:migrate`: apply drizzle/ migrations to DATABASE_URL, or to the embedded database.
import { closeDb, dbKind } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";

await runMigrations();
console.log(`migrations applied (${dbKind()})`);
await closeDb();
