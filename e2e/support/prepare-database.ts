// The first half of the e2e server command (playwright.config.ts), run just before the app starts with
// the server's settings: makes the run's database (a fresh PostgreSQL one, or the embedded one in
// DATA_DIR, migrated by the app's own `npm run db:migrate`) and one account per role
// (test/support/accounts.ts), written with their passwords to the run's users file. Before the server,
// because the embedded database admits one process at a time: once the server holds it, accounts are
// made through the app (e2e/support/users.ts).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { seedUsers } from "../../test/support/accounts";
import { createFreshDatabase } from "../../test/support/fresh-database";
import { appDatabaseEnv, e2eEnv } from "./e2e-env";

const run = e2eEnv();
if (run.database === "postgres") {
  await createFreshDatabase({ adminUrl: run.adminUrl, name: run.databaseName });
} else {
  const migrated = spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/cli/migrate.ts"], {
    env: { ...appDatabaseEnv(run), LOG_LEVEL: "warn" },
    encoding: "utf8",
  });
  if (migrated.status !== 0) throw new Error(`migrating the embedded database failed (exit ${migrated.status}):\n${migrated.stderr}${migrated.stdout}`);
}
const users = seedUsers({ databaseUrl: run.databaseUrl, dataDir: run.dataDir }, [
  ["admin", "E2E Admin"],
  ["radiologist", "Dr E2E Reader"],
  ["patient", "E2E Patient"],
]);
fs.writeFileSync(run.usersFile, JSON.stringify(users, null, 2), { mode: 0o600 });
process.stdout.write(`e2e: ${run.database} database ready, ${users.length} accounts seeded\n`);
