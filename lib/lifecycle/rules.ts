// Retention rules: how long originals, renderings and analyses are kept, counted in days from an
// analysis' upload. Stored in the settings table by an admin; a fresh install starts from lib/env.ts.
import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { settings } from "@/lib/db/schema";
import { env } from "@/lib/env";

export const RETENTION_SETTINGS_KEY = "retention.rules";

const Days = z.number().int().min(1).max(36_500).nullable();

/** null: kept forever. */
export const RetentionRules = z
  .object({ originalsDays: Days, renderingsDays: Days, analysesDays: Days })
  .refine((r) => r.analysesDays === null || r.originalsDays === null || r.originalsDays <= r.analysesDays, {
    message: "Originals cannot be kept longer than the analyses they belong to.",
    path: ["originalsDays"],
  })
  .refine((r) => r.analysesDays === null || r.renderingsDays === null || r.renderingsDays <= r.analysesDays, {
    message: "Renderings cannot be kept longer than the analyses they belong to.",
    path: ["renderingsDays"],
  });
export type RetentionRules = z.infer<typeof RetentionRules>;

export function defaultRetentionRules(): RetentionRules {
  return {
    originalsDays: env.RETENTION_ORIGINALS_DAYS ?? null,
    renderingsDays: env.RETENTION_RENDERINGS_DAYS ?? null,
    analysesDays: env.RETENTION_ANALYSES_DAYS ?? null,
  };
}

export async function getRetentionRules(): Promise<RetentionRules> {
  const [row] = await db.select().from(settings).where(eq(settings.key, RETENTION_SETTINGS_KEY)).limit(1);
  const parsed = RetentionRules.safeParse(row?.value);
  return parsed.success ? parsed.data : defaultRetentionRules();
}

export async function saveRetentionRules(rules: RetentionRules): Promise<void> {
  await db
    .insert(settings)
    .values({ key: RETENTION_SETTINGS_KEY, value: rules })
    .onConflictDoUpdate({ target: settings.key, set: { value: rules, updatedAt: sql`now()` } });
}

/** The moment before which an analysis' upload makes it due under a rule of `days` days. */
export function cutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 24 * 60 * 60 * 1000);
}
