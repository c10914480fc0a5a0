// Playwright global setup: the run's fresh PostgreSQL database, migrated with the app's own migrations
// (drizzle/), and one account per role made through the real user service. The built app is already
// listening (Playwright starts webServer before global setup); it opens its database on first use.
import fs from "node:fs";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { e2eEnv } from "./e2e-env";
import { createUsers } from "./users";

export default async function globalSetup() {
  const env = e2eEnv();
  const admin = postgres(env.adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${env.databaseName}`);
  } catch (error) {
    await admin.end();
    throw new Error(`End-to-end tests need a PostgreSQL server (TEST_DATABASE_ADMIN_URL, tried ${env.adminUrl}): ${(error as Error).message}`);
  }
  const sql = postgres(env.databaseUrl, { max: 1, onnotice: () => {} });
  await migrate(drizzle(sql), { migrationsFolder: path.resolve("drizzle") });
  await sql.end();

  const users = createUsers([
    ["admin", "E2E Admin"],
    ["radiologist", "Dr E2E Reader"],
    ["patient", "E2E Patient"],
  ]);
  fs.writeFileSync(env.usersFile, JSON.stringify(users, null, 2), { mode: 0o600 });

  return async () => {
    await admin.unsafe(`drop database if exists ${env.databaseName} with (force)`);
    await admin.end();
    fs.rmSync(env.dataDir, { recursive: true, force: true });
  };
}
