// The migration that moves class activation maps from a jsonb array to float64 bytes, on PostgreSQL and
// on embedded PGlite: maps stored before it read back as the very same numbers after it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { eq, sql } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { analysisCams } from "@/lib/db/schema";
import { dropDatabase, testDatabaseAdminUrl } from "@/test/support/fresh-database";

const MIGRATION = "0011_cams_float64";
const drizzleDir = path.resolve(process.cwd(), "drizzle");

/** drizzle/ as it was before the migration: its SQL file and journal entry left out. */
function migrationsBefore(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cxr-migrations-"));
  fs.cpSync(drizzleDir, dir, { recursive: true });
  fs.rmSync(path.join(dir, `${MIGRATION}.sql`));
  const journalPath = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalPath, "utf8"));
  const at = journal.entries.findIndex((e: { tag: string }) => e.tag === MIGRATION);
  journal.entries = journal.entries.slice(0, at);
  fs.writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

// A map as the worker stored it (rounded to 4 decimals), and awkward doubles: negative zero aside, every
// value a jsonb number can hold as a JS number.
const cam = [0, -0.5, 19.2766, -2.276, 1e-4, 123456.7891, 3 * Math.exp(-1) - 0.5, Number.MIN_VALUE, 1.7976931348623157e308, -1234.5];

type Exec = (query: ReturnType<typeof sql>) => Promise<unknown>;

async function storeBefore(exec: Exec, id: string) {
  // The analysis row is not the subject here: the foreign key is set aside for this one insert.
  await exec(sql`set session_replication_role = replica`);
  await exec(sql`insert into analysis_cams (analysis_id, shape, data) values (${id}, '[1, 2, 5]'::jsonb, ${JSON.stringify(cam)}::jsonb)`);
  await exec(sql`insert into analysis_cams (analysis_id, shape, data) values (${"00000000-0000-4000-8000-000000000002"}, '[0, 0, 0]'::jsonb, '[]'::jsonb)`);
  await exec(sql`set session_replication_role = origin`);
}

const ID = "00000000-0000-4000-8000-000000000001";

describe("class activation maps as float64 bytes", () => {
  it("PostgreSQL: maps stored as jsonb read back the same after the migration", async () => {
    // An empty database (createFreshDatabase would apply every migration at once).
    const name = `cxr_camsmig_${Date.now()}_${process.pid}`;
    const admin = postgres(testDatabaseAdminUrl(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const url = new URL(testDatabaseAdminUrl());
    url.pathname = `/${name}`;
    const client = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      const db = drizzlePostgres(client);
      await migratePostgres(db, { migrationsFolder: migrationsBefore() });
      await storeBefore((q) => db.execute(q), ID);
      await migratePostgres(db, { migrationsFolder: drizzleDir });
      const [row] = await db.select().from(analysisCams).where(eq(analysisCams.analysisId, ID));
      expect(row.data).toEqual(cam);
      expect(row.shape).toEqual([1, 2, 5]);
      const [empty] = await db.select().from(analysisCams).where(eq(analysisCams.analysisId, "00000000-0000-4000-8000-000000000002"));
      expect(empty.data).toEqual([]);
    } finally {
      await client.end();
      await dropDatabase(name);
    }
  });

  it("PGlite: the same migration, the same numbers", async () => {
    const client = new PGlite();
    try {
      const db = drizzlePglite(client);
      await migratePglite(db, { migrationsFolder: migrationsBefore() });
      await storeBefore((q) => db.execute(q), ID);
      await migratePglite(db, { migrationsFolder: drizzleDir });
      const [row] = await db.select().from(analysisCams).where(eq(analysisCams.analysisId, ID));
      expect(row.data).toEqual(cam);
      // A new map written through the column type reads back as written.
      const again = cam.map((v) => v / 3);
      await db.update(analysisCams).set({ data: again }).where(eq(analysisCams.analysisId, ID));
      expect((await db.select().from(analysisCams).where(eq(analysisCams.analysisId, ID)))[0].data).toEqual(again);
    } finally {
      await client.close();
    }
  });
});
