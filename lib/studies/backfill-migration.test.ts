// Integration (PostgreSQL): analyses stored before studies existed get studies from the migration
// (one per Study Instance UID, one of its own for each file without one), and none is lost.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";

const base = process.env.DATABASE_URL!;
const name = `${new URL(base).pathname.slice(1)}_bf${crypto.randomBytes(3).toString("hex")}`;
const admin = postgres(base, { max: 1, onnotice: () => {} });
const url = new URL(base);
url.pathname = `/${name}`;

/** The migrations folder as it was before the studies migration: journal entries up to `lastTag`. */
function migrationsUpTo(lastTag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cxr-mig-"));
  fs.cpSync(path.resolve("drizzle"), dir, { recursive: true });
  const journalFile = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalFile, "utf8")) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === lastTag);
  journal.entries = journal.entries.slice(0, cut + 1);
  fs.writeFileSync(journalFile, JSON.stringify(journal));
  return dir;
}

afterAll(async () => {
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
});

describe("studies migration", () => {
  it("puts every existing analysis into a study: shared UIDs together, the rest one study each", async () => {
    await admin.unsafe(`create database ${name}`);
    const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      const journal = JSON.parse(fs.readFileSync(path.resolve("drizzle/meta/_journal.json"), "utf8")) as { entries: { tag: string }[] };
      const before = journal.entries[journal.entries.findIndex((e) => e.tag.endsWith("_studies")) - 1].tag;
      await migrate(drizzle(sql), { migrationsFolder: migrationsUpTo(before) });
      await sql`insert into images (sha256, byte_size, format, width, height) values ('aa', 1, 'dicom', 1, 1)`;
      const rows = [
        ["1.2.3.1", "2026-01-05"],
        ["1.2.3.1", "2026-01-05"],
        ["1.2.3.2", null],
        [null, null],
        [null, null],
      ];
      for (const [uid, date] of rows) {
        await sql`insert into analyses (image_sha256, file_name, status, study_instance_uid, study_date) values ('aa', 'f', 'completed', ${uid}, ${date})`;
      }
      await migrate(drizzle(sql), { migrationsFolder: path.resolve("drizzle") });
      const grouped = await sql<{ uid: string | null; n: number; date: string | null }[]>`
        select s.study_instance_uid as uid, count(a.id)::int as n, s.study_date as date
        from studies s join analyses a on a.study_id = s.id group by s.id order by uid nulls last`;
      expect(grouped.map((g) => [g.uid, g.n, g.date])).toEqual([
        ["1.2.3.1", 2, "2026-01-05"],
        ["1.2.3.2", 1, null],
        [null, 1, null],
        [null, 1, null],
      ]);
      const [{ orphans }] = await sql<{ orphans: number }[]>`select count(*)::int as orphans from analyses where study_id is null`;
      expect(orphans).toBe(0);
    } finally {
      await sql.end();
    }
  });
});
