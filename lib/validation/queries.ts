// Reading validation sets: the list with each set's stored AUCs (to compare sets, models and dates), and
// one set evaluated now against the CURRENT site thresholds, with the scores its threshold picker needs.
import "server-only";
import { asc, desc, eq, inArray } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { db } from "@/lib/db/client";
import { users, validationResults, validationSets, type ValidationSet } from "@/lib/db/schema";
import { getTriageThresholds } from "@/lib/triage/thresholds";
import { loadCases } from "./cases";
import { completeSet } from "./complete-set";
import { thinRoc, type FindingEvaluation } from "./evaluate";
import { evaluateSet } from "./evaluate-set";

export type SetSummary = Pick<
  ValidationSet,
  "id" | "name" | "source" | "status" | "periodFrom" | "periodTo" | "modelName" | "modelVersion" | "modelTrained" | "summary" | "createdAt" | "completedAt"
> & { createdByName: string; results: { label: string; n: number; positives: number; auc: number | null; aucLow: number | null; aucHigh: number | null; ece: number | null }[] };

const summaryColumns = {
  id: validationSets.id,
  name: validationSets.name,
  source: validationSets.source,
  status: validationSets.status,
  periodFrom: validationSets.periodFrom,
  periodTo: validationSets.periodTo,
  modelName: validationSets.modelName,
  modelVersion: validationSets.modelVersion,
  modelTrained: validationSets.modelTrained,
  summary: validationSets.summary,
  createdAt: validationSets.createdAt,
  completedAt: validationSets.completedAt,
  createdByName: users.name,
  createdByEmail: users.email,
};

export async function listSets(limit = 100): Promise<SetSummary[]> {
  const sets = await db
    .select(summaryColumns)
    .from(validationSets)
    .innerJoin(users, eq(users.id, validationSets.createdBy))
    .orderBy(desc(validationSets.createdAt))
    .limit(limit);
  const results = sets.length
    ? await db
        .select({
          setId: validationResults.setId,
          label: validationResults.label,
          position: validationResults.position,
          n: validationResults.n,
          positives: validationResults.positives,
          auc: validationResults.auc,
          aucLow: validationResults.aucLow,
          aucHigh: validationResults.aucHigh,
          ece: validationResults.ece,
        })
        .from(validationResults)
        .where(inArray(validationResults.setId, sets.map((s) => s.id)))
        .orderBy(asc(validationResults.position))
    : [];
  return sets.map(({ createdByEmail, ...s }) => ({
    ...s,
    createdByName: s.createdByName || createdByEmail,
    results: results
      .filter((r) => r.setId === s.id)
      .map((r) => ({ label: r.label, n: r.n, positives: r.positives, auc: r.auc, aucLow: r.aucLow, aucHigh: r.aucHigh, ece: r.ece })),
  }));
}

export interface FindingView extends FindingEvaluation {
  /** Calibrated score and truth of every labelled case, for choosing a threshold in the browser. */
  cases: [number, 0 | 1][];
}

export interface SetView {
  set: SetSummary & { labels: string[]; siteThresholdsAtCompletion: Record<string, number>; error: string | null; models: ValidationSet["models"] };
  currentThresholds: Record<string, number>;
  findings: FindingView[];
}

export async function getSetView(id: string): Promise<SetView> {
  await completeSet(id);
  const [row] = await db
    .select({ ...summaryColumns, labels: validationSets.labels, siteThresholds: validationSets.siteThresholds, error: validationSets.error, models: validationSets.models })
    .from(validationSets)
    .innerJoin(users, eq(users.id, validationSets.createdBy))
    .where(eq(validationSets.id, id))
    .limit(1);
  if (!row) throw new AppError("not_found", "No such validation set.");
  const { createdByEmail, siteThresholds, ...set } = row;
  const summary = { ...set, createdByName: set.createdByName || createdByEmail, siteThresholdsAtCompletion: siteThresholds };
  const currentThresholds = await getTriageThresholds();
  if (set.status !== "completed") return { set: { ...summary, results: [] }, currentThresholds, findings: [] };

  const cases = (await loadCases(id)).filter((c) => c.status === "completed");
  const evaluations = evaluateSet(set.labels, cases, currentThresholds);
  const findings = evaluations.map((e) => ({
    ...e,
    roc: thinRoc(e.roc),
    cases: cases.flatMap((c): [number, 0 | 1][] => {
      const f = c.findings.find((x) => x.label === e.label);
      const t = c.truth[e.label];
      return f && t !== undefined ? [[f.calibrated, t]] : [];
    }),
  }));
  const results = evaluations.map((e) => ({ label: e.label, n: e.n, positives: e.positives, auc: e.auc, aucLow: e.aucCi?.[0] ?? null, aucHigh: e.aucCi?.[1] ?? null, ece: e.calibration.ece }));
  return { set: { ...summary, results }, currentThresholds, findings };
}
