import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";

describe("test database", () => {
  it("runs against a fresh, migrated PostgreSQL database", async () => {
    const rows = await db.execute(sql`select current_database() as name, count(*)::int as users from users`);
    const row = rows[0] as { name: string; users: number };
    expect(row.name).toMatch(/^cxr_test_/);
    expect(row.users).toBe(0);
  });
});
