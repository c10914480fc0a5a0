// Playwright global setup: the run's fresh PostgreSQL database, migrated with the app's own migrations
// (drizzle/), and one account per role made through the real user service. The built app is already
// listening (Playwright starts webServer before global setup); it opens its database on first use.
import fs from "node:fs";
import { createFreshDatabase } from "../../lib/testing/fresh-database";
import { e2eEnv } from "./e2e-env";
import { createUsers } from "./users";

export default async function globalSetup() {
  const env = e2eEnv();
  const database = await createFreshDatabase({ adminUrl: env.adminUrl, name: env.databaseName });

  const users = createUsers([
    ["admin", "E2E Admin"],
    ["radiologist", "Dr E2E Reader"],
    ["patient", "E2E Patient"],
  ]);
  fs.writeFileSync(env.usersFile, JSON.stringify(users, null, 2), { mode: 0o600 });

  return async () => {
    await database.drop();
    fs.rmSync(env.dataDir, { recursive: true, force: true });
  };
}
