// Writes triage levels to analyses: one analysis right after inference (applyTriage, called by the
// analysis service), or all of them after a site changes its thresholds (recomputeAllTriage).
import "server-only";
import { and, asc, eq, gt, inArray, ne } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { analyses, findings, type Analysis } from "@/lib/db/schema";
import { evaluateTriage, triageFinding, type TriageLevel, type TriageResult } from "./rules";
import { getTriageThresholds, type ThresholdMap } from "./thresholds";

type Executor = Pick<typeof db, "select" | "update">;

export function triageOf(
  analysis: Pick<Analysis, "status" | "warnings">,
  rows: readonly { label: string; calibrated: number | null; positive: boolean }[],
  thresholds: ThresholdMap,
): TriageResult {
  return evaluateTriage({ status: analysis.status, warnings: analysis.warnings, findings: rows.map(triageFinding), thresholds });
}

/**
 * Computes and stores the triage level of one analysis from its stored findings and warnings. Call it
 * after the findings are written (inside the same transaction if there is one: pass it as `executor`).
 */
export async function applyTriage(analysisId: string, executor: Executor = db): Promise<TriageResult> {
  const [analysis] = await executor
    .select({ status: analyses.status, warnings: analyses.warnings })
    .from(analyses)
    .where(eq(analyses.id, analysisId))
    .limit(1);
  if (!analysis) throw new Error(`applyTriage: analysis ${analysisId} does not exist`);
  const rows = await executor
    .select({ label: findings.label, calibrated: findings.calibrated, positive: findings.positive })
    .from(findings)
    .where(eq(findings.analysisId, analysisId));
  const result = triageOf(analysis, rows, await getTriageThresholds());
  await executor.update(analyses).set({ triageLevel: result.level }).where(eq(analyses.id, analysisId));
  return result;
}

const BATCH = 500;

/** Re-triages every finished analysis with the current thresholds; returns how many levels changed. */
export async function recomputeAllTriage(): Promise<{ changed: number; total: number }> {
  const thresholds = await getTriageThresholds();
  let changed = 0;
  let total = 0;
  let lastId: string | null = null;
  for (;;) {
    const page: Pick<Analysis, "id" | "status" | "warnings" | "triageLevel">[] = await db
      .select({ id: analyses.id, status: analyses.status, warnings: analyses.warnings, triageLevel: analyses.triageLevel })
      .from(analyses)
      .where(and(ne(analyses.status, "processing"), lastId ? gt(analyses.id, lastId) : undefined))
      .orderBy(asc(analyses.id))
      .limit(BATCH);
    if (page.length === 0) break;
    lastId = page[page.length - 1].id;
    total += page.length;
    const rows = await db
      .select({ analysisId: findings.analysisId, label: findings.label, calibrated: findings.calibrated, positive: findings.positive })
      .from(findings)
      .where(inArray(findings.analysisId, page.map((a) => a.id)));
    const byAnalysis = new Map<string, { label: string; calibrated: number | null; positive: boolean }[]>();
    for (const r of rows) {
      const list = byAnalysis.get(r.analysisId) ?? [];
      list.push(r);
      byAnalysis.set(r.analysisId, list);
    }
    const updates = new Map<TriageLevel | null, string[]>();
    for (const a of page) {
      const level = triageOf(a, byAnalysis.get(a.id) ?? [], thresholds).level;
      if (level === a.triageLevel) continue;
      updates.set(level, [...(updates.get(level) ?? []), a.id]);
      changed += 1;
    }
    for (const [level, ids] of updates) {
      await db.update(analyses).set({ triageLevel: level }).where(inArray(analyses.id, ids));
    }
  }
  return { changed, total };
}
