import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";

describe("test database", () => {
  it("runs against this run's own migrated PostgreSQL database", async () => {
    const rows = await db.execute(sql`select current_database() as name, to_regclass('public.analyses') is not null as migrated`);
    const row = rows[0] as { name: string; migrated: boolean };
    expect(row.name).toMatch(/^cxr_test_/);
    expect(row.migrated).toBe(true);
  });
});
