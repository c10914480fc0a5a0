// Playwright global setup. The run's database is made before the server starts (the first half of the
// server command, e2e/support/prepare-database.ts), because the embedded one admits a single process;
// what is left here is the clean-up after the run: the PostgreSQL database and the data directory.
import fs from "node:fs";
import { dropDatabase } from "../../test/support/fresh-database";
import { e2eEnv } from "./e2e-env";

export default async function globalSetup() {
  const env = e2eEnv();
  if (!fs.existsSync(env.usersFile)) throw new Error(`the server command did not seed the accounts (${env.usersFile}); see its output above`);
  return async () => {
    if (env.database === "postgres") await dropDatabase(env.databaseName, env.adminUrl);
    fs.rmSync(env.dataDir, { recursive: true, force: true });
  };
}
