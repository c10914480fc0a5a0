// Site thresholds per finding, stored in the settings table. Missing labels fall back to the model's
// operating point (calibrated 0.5), so an empty settings row means "triage exactly as the model calls".
import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { settings } from "@/lib/db/schema";

export const TRIAGE_SETTINGS_KEY = "triage.thresholds";

/** Calibrated scores live in [0, 1]; a threshold of 1 removes a label from triage (rules.ts OFF_THRESHOLD). */
export const ThresholdValue = z.number().min(0.01).max(1);
export const ThresholdMap = z.record(z.string().min(1).max(80), ThresholdValue);
export type ThresholdMap = z.infer<typeof ThresholdMap>;
/** A change: a new threshold per label, or null to return that label to the operating point. */
export const ThresholdChanges = z.record(z.string().min(1).max(80), ThresholdValue.nullable());
export type ThresholdChanges = z.infer<typeof ThresholdChanges>;

const StoredValue = z.object({ thresholds: ThresholdMap });

export async function getTriageThresholds(): Promise<ThresholdMap> {
  const [row] = await db.select().from(settings).where(eq(settings.key, TRIAGE_SETTINGS_KEY)).limit(1);
  const parsed = StoredValue.safeParse(row?.value);
  // A hand-edited, invalid row must not take the worklist down: fall back to the operating points.
  return parsed.success ? parsed.data.thresholds : {};
}

export async function saveTriageThresholds(thresholds: ThresholdMap): Promise<void> {
  const value = { thresholds };
  await db
    .insert(settings)
    .values({ key: TRIAGE_SETTINGS_KEY, value })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
}
