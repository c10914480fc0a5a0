// Integration: erasing a patient on the embedded database (every row of every table read as text) with
// files in the local storage directory (scanned byte for byte).
import { vi } from "vitest";

vi.hoisted(() => {
  delete process.env.DATABASE_URL;
  process.env.DATA_DIR = `${process.env.DATA_DIR}/erase-embedded`;
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model`;
});

import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe } from "vitest";
import { db } from "@/lib/db/client";
import { storageDir } from "@/lib/env";
import { onEmbeddedDatabase } from "@/test/support/embedded-app";
import { erasureScenario } from "@/test/support/erasure-scenario";

async function everyRow(): Promise<string> {
  const tables = await db.execute(sql`select table_schema || '.' || table_name as t from information_schema.tables where table_schema in ('public', 'pgboss') and table_type = 'BASE TABLE'`);
  const names = (Array.isArray(tables) ? tables : (tables as unknown as { rows: { t: string }[] }).rows) as { t: string }[];
  const parts: string[] = [];
  for (const { t } of names) {
    const rows = await db.execute(sql.raw(`select row_to_json(x)::text as j from ${t} x`));
    parts.push(...((Array.isArray(rows) ? rows : (rows as unknown as { rows: { j: string }[] }).rows) as { j: string }[]).map((r) => r.j));
  }
  return parts.join("\n");
}

describe("erasure on the embedded database with local storage", () => {
  onEmbeddedDatabase();
  erasureScenario({
    databaseText: everyRow,
    storedBytes: async () =>
      fs.existsSync(storageDir)
        ? fs.readdirSync(storageDir, { recursive: true, withFileTypes: true }).flatMap((e) => (e.isFile() ? [fs.readFileSync(path.join(e.parentPath, e.name))] : []))
        : [],
  });
});
