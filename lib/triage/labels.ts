import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { findings } from "@/lib/db/schema";

/** Labels a threshold can be set for: every label any stored analysis reports, in model output order. */
export async function knownLabels(): Promise<string[]> {
  const rows = await db
    .select({ label: findings.label, position: sql<number>`min(${findings.position})::int` })
    .from(findings)
    .groupBy(findings.label);
  return rows.sort((a, b) => a.position - b.position).map((r) => r.label);
}
