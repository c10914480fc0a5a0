import "server-only";
import { eq, sql } from "drizzle-orm";
import type { AnatomySummary } from "@/lib/anatomy/run-models";
import { db } from "@/lib/db/client";
import { analysisAnatomy, type AnalysisAnatomy } from "@/lib/db/schema";

// The anatomy model's stored output per analysis (table analysis_anatomy): one row from the moment its
// job is queued, completed with the summary and the packed masks, or failed/skipped with a reason. No
// visibility check here: callers reach an analysis id through lib/analyses/queries first.

export type AnatomyStatus = AnalysisAnatomy["status"];

export interface StoredAnatomy {
  summary: AnatomySummary;
  /** targets x size x size bits, packbits order (lib/anatomy/masks.ts); only when asked for. */
  masks?: Uint8Array;
  model: { name: string; version: string; trained: boolean };
  completedAt: Date | null;
}

/** What the pages show while there is no summary (yet): queued, failed or skipped, with its reason. */
export interface AnatomyState {
  status: AnatomyStatus;
  reason: string | null;
}

/** The completed anatomy of an analysis, or null (none queued, still queued, failed or skipped). */
export async function findAnatomy(analysisId: string, options: { withMasks?: boolean } = {}): Promise<StoredAnatomy | null> {
  const [row] = await db
    .select({
      status: analysisAnatomy.status,
      summary: analysisAnatomy.summary,
      masks: options.withMasks ? analysisAnatomy.masks : sql<null>`null`,
      modelName: analysisAnatomy.modelName,
      modelVersion: analysisAnatomy.modelVersion,
      modelTrained: analysisAnatomy.modelTrained,
      completedAt: analysisAnatomy.completedAt,
    })
    .from(analysisAnatomy)
    .where(eq(analysisAnatomy.analysisId, analysisId))
    .limit(1);
  if (!row || row.status !== "completed" || !row.summary) return null;
  return {
    summary: row.summary as unknown as AnatomySummary,
    ...(row.masks ? { masks: row.masks } : {}),
    model: { name: row.modelName ?? "", version: row.modelVersion ?? "", trained: row.modelTrained ?? false },
    completedAt: row.completedAt,
  };
}

/** The row's state (null: no anatomy was ever queued for this analysis, e.g. ANATOMY off). */
export async function anatomyState(analysisId: string): Promise<AnatomyState | null> {
  const [row] = await db
    .select({ status: analysisAnatomy.status, reason: analysisAnatomy.reason })
    .from(analysisAnatomy)
    .where(eq(analysisAnatomy.analysisId, analysisId))
    .limit(1);
  return row ?? null;
}

/** What a transaction handle must offer (drizzle's `tx` or `db`). */
type Writer = Pick<typeof db, "insert">;

/** Records that an anatomy job is queued (or why none is: `skipped`), in the caller's transaction. */
export async function recordAnatomyQueued(tx: Writer, analysisId: string, skippedReason?: string): Promise<void> {
  const status: AnatomyStatus = skippedReason ? "skipped" : "queued";
  await tx
    .insert(analysisAnatomy)
    .values({ analysisId, status, reason: skippedReason ?? null })
    .onConflictDoUpdate({ target: analysisAnatomy.analysisId, set: { status, reason: skippedReason ?? null, summary: null, masks: null } });
}

export async function saveAnatomy(analysisId: string, summary: AnatomySummary, masks: Uint8Array): Promise<void> {
  const values = {
    status: "completed" as const,
    reason: null,
    summary: summary as unknown as Record<string, unknown>,
    masks,
    modelName: summary.model.name,
    modelVersion: summary.model.version,
    modelTrained: summary.model.trained,
    completedAt: new Date(),
  };
  await db
    .insert(analysisAnatomy)
    .values({ analysisId, ...values })
    .onConflictDoUpdate({ target: analysisAnatomy.analysisId, set: values });
}

/** The job gave up: the analysis and its findings stand as they are. */
export async function markAnatomyFailed(analysisId: string, reason: string): Promise<void> {
  await db
    .update(analysisAnatomy)
    .set({ status: "failed", reason, completedAt: new Date() })
    .where(eq(analysisAnatomy.analysisId, analysisId));
}
