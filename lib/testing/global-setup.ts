// Vitest global setup: every test run gets its own fresh PostgreSQL database (migrated from drizzle/)
// and its own data directory, so runs never see each other's rows or files.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

// The server that tests create their database on. This is test tooling, outside the app's env module.
const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export default async function setup() {
  const name = `cxr_test_${Date.now()}_${crypto.randomBytes(3).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (error) {
    await admin.end();
    throw new Error(
      `Tests need a PostgreSQL server (set TEST_DATABASE_ADMIN_URL; tried ${adminUrl}): ${(error as Error).message}`,
    );
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
  await migrate(drizzle(sql), { migrationsFolder: path.resolve("drizzle") });
  await sql.end();

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cxr-test-data-"));
  process.env.DATABASE_URL = url.toString();
  process.env.DATA_DIR = dataDir;

  return async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
