// Loading a set's cases with the scores of their analyses: the input of every evaluation of the set.
import "server-only";
import { asc, eq, inArray } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { analyses, findings, validationCases } from "@/lib/db/schema";
import type { GroundTruth } from "./labels-csv";

export interface LoadedCase {
  analysisId: string;
  fileName: string;
  status: string;
  model: { name: string | null; version: string | null; trained: boolean | null };
  truth: GroundTruth;
  findings: { label: string; probability: number; calibrated: number }[];
}

export async function loadCases(setId: string): Promise<LoadedCase[]> {
  const rows = await db
    .select({
      analysisId: validationCases.analysisId,
      truth: validationCases.truth,
      fileName: analyses.fileName,
      status: analyses.status,
      modelName: analyses.modelName,
      modelVersion: analyses.modelVersion,
      modelTrained: analyses.modelTrained,
    })
    .from(validationCases)
    .innerJoin(analyses, eq(analyses.id, validationCases.analysisId))
    .where(eq(validationCases.setId, setId))
    .orderBy(asc(validationCases.position));
  const done = rows.filter((r) => r.status === "completed").map((r) => r.analysisId);
  const scores = done.length
    ? await db
        .select({ analysisId: findings.analysisId, label: findings.label, probability: findings.probability, calibrated: findings.calibrated })
        .from(findings)
        .where(inArray(findings.analysisId, done))
    : [];
  const byAnalysis = new Map<string, LoadedCase["findings"]>();
  for (const s of scores) {
    // A label this model did not assess has no score to rank: it is left out of that label's AUC.
    if (s.calibrated === null) continue;
    const list = byAnalysis.get(s.analysisId) ?? [];
    list.push({ label: s.label, probability: s.probability, calibrated: s.calibrated });
    byAnalysis.set(s.analysisId, list);
  }
  return rows.map((r) => ({
    analysisId: r.analysisId,
    fileName: r.fileName,
    status: r.status,
    model: { name: r.modelName, version: r.modelVersion, trained: r.modelTrained },
    truth: r.truth,
    findings: byAnalysis.get(r.analysisId) ?? [],
  }));
}

/** Whether an analysis has reached an end state; anything else (processing, queued) is still pending. */
export const isFinished = (status: string) => status === "completed" || status === "failed";
