// Retention: what the rules make due at a given moment (the dry run) and removing it in bounded
// batches (the run). Both read the same candidate queries, so a dry run's counts are what the run that
// follows removes (up to RETENTION_BATCH per kind; the rest waits for the next run). The clock is a
// parameter: the scheduled job passes the time it runs, tests pass the time they need.
import "server-only";
import { and, asc, inArray, isNull, lt, sql, type SQL } from "drizzle-orm";
import { auditRow } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { analyses, auditEvents, images } from "@/lib/db/schema";
import { env } from "@/lib/env";
import type { StoredKind } from "@/lib/storage/content-store";
import { logger } from "@/lib/log";
import { notHeld } from "./holds";
import { deleteFilesOf, removeAnalyses } from "./remove";
import { cutoff, getRetentionRules, type RetentionRules } from "./rules";

export interface RetentionCounts {
  originals: number;
  renderings: number;
  analyses: number;
}

const RENDERING_KINDS: readonly StoredKind[] = ["display", "thumbnail", "pixels"];

/**
 * Images all of whose analyses were uploaded before `before`, are finished, and are not held; only
 * those whose `removedColumn` is still empty.
 */
function imagesDue(before: Date, removedColumn: typeof images.originalRemovedAt | typeof images.renderingsRemovedAt): SQL {
  return and(
    isNull(removedColumn),
    sql`exists (select 1 from analyses a where a.image_sha256 = ${images.sha256})`,
    sql`not exists (
      select 1 from analyses a where a.image_sha256 = ${images.sha256}
      and (a.created_at >= ${before.toISOString()}::timestamptz or a.status in ('queued', 'processing') or not ${notHeld(sql`a.study_id`)})
    )`,
  )!;
}

function analysesDue(before: Date): SQL {
  return and(lt(analyses.createdAt, before), inArray(analyses.status, ["completed", "failed"]), notHeld())!;
}

async function count(query: Promise<{ n: number }[]>): Promise<number> {
  return (await query)[0]?.n ?? 0;
}

/** What a run at `now` would remove, by kind (all of it, not one batch). */
export async function planRetention(now: Date, rules: RetentionRules): Promise<RetentionCounts> {
  const n = sql<number>`count(*)::int`;
  return {
    originals: rules.originalsDays === null ? 0 : await count(db.select({ n }).from(images).where(imagesDue(cutoff(now, rules.originalsDays), images.originalRemovedAt))),
    renderings:
      rules.renderingsDays === null ? 0 : await count(db.select({ n }).from(images).where(imagesDue(cutoff(now, rules.renderingsDays), images.renderingsRemovedAt))),
    analyses: rules.analysesDays === null ? 0 : await count(db.select({ n }).from(analyses).where(analysesDue(cutoff(now, rules.analysesDays)))),
  };
}

/** The analyses of some images, for the audit trail of file removals. */
async function analysesOf(shas: string[]): Promise<string[]> {
  const rows = await db.select({ id: analyses.id }).from(analyses).where(inArray(analyses.imageSha256, shas));
  return rows.map((r) => r.id);
}

async function auditRemovals(actor: Principal | null, action: string, analysisIds: string[]): Promise<void> {
  if (analysisIds.length === 0) return;
  await db.insert(auditEvents).values(analysisIds.map((id) => auditRow({ actor, action, targetType: "analysis", targetId: id })));
}

/** The images' mark for each thing retention removes from them. */
const REMOVED_MARK = { original: "originalRemovedAt", renderings: "renderingsRemovedAt" } as const;

/**
 * Files first, then the mark: a mark that fails to commit leaves an image whose file is gone but whose
 * row says otherwise, and the next run deletes (nothing) and marks it again.
 */
async function removeImageFiles(
  what: keyof typeof REMOVED_MARK,
  due: SQL,
  kinds: readonly StoredKind[],
  now: Date,
  actor: Principal | null,
  batch: number,
): Promise<number> {
  const rows = await db.select({ sha: images.sha256 }).from(images).where(due).orderBy(asc(images.createdAt)).limit(batch);
  const shas = rows.map((r) => r.sha);
  if (shas.length === 0) return 0;
  for (const sha of shas) await deleteFilesOf(sha, kinds);
  await db.update(images).set({ [REMOVED_MARK[what]]: now }).where(inArray(images.sha256, shas));
  await auditRemovals(actor, `retention.remove_${what}`, await analysesOf(shas));
  return shas.length;
}

/** Applies the rules at `now`: at most `batch` items of each kind. `actor` null: the scheduled job. */
export async function runRetention(now: Date, options: { rules?: RetentionRules; batch?: number; actor?: Principal | null } = {}): Promise<RetentionCounts> {
  const rules = options.rules ?? (await getRetentionRules());
  const batch = options.batch ?? env.RETENTION_BATCH;
  const actor = options.actor ?? null;
  const done: RetentionCounts = { originals: 0, renderings: 0, analyses: 0 };
  if (rules.originalsDays !== null) {
    const due = imagesDue(cutoff(now, rules.originalsDays), images.originalRemovedAt);
    done.originals = await removeImageFiles("original", due, ["original"], now, actor, batch);
  }
  if (rules.renderingsDays !== null) {
    const due = imagesDue(cutoff(now, rules.renderingsDays), images.renderingsRemovedAt);
    done.renderings = await removeImageFiles("renderings", due, RENDERING_KINDS, now, actor, batch);
  }
  // Last, so that the files of an analysis past every rule are counted under their own rules too, as
  // the dry run counts them.
  if (rules.analysesDays !== null) {
    const rows = await db
      .select({ id: analyses.id })
      .from(analyses)
      .where(analysesDue(cutoff(now, rules.analysesDays)))
      .orderBy(asc(analyses.createdAt))
      .limit(batch);
    const ids = rows.map((r) => r.id);
    // Audited before the rows go, in the same terms as every other removal: the analysis id alone.
    await auditRemovals(actor, "retention.remove_analysis", ids);
    done.analyses = (await removeAnalyses(ids)).analyses;
  }
  if (done.originals + done.renderings + done.analyses > 0) logger.info({ removed: done }, "retention run");
  return done;
}
