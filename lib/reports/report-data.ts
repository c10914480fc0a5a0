import "server-only";
import { asc, eq } from "drizzle-orm";
import { findAnatomy } from "@/lib/analyses/anatomy-store";
import { latestSignOff } from "@/lib/analyses/reads";
import type { AnatomySummary } from "@/lib/anatomy/run-models";
import { db } from "@/lib/db/client";
import { analysisCams, findings } from "@/lib/db/schema";
import { confirmedFindings, reportedResult, type OverallResult } from "@/lib/core/overall-result";
import type { Measurement } from "@/lib/core/measurement-types";
import { spacingOf } from "@/lib/studies/measurements";
import type { TriageLevel } from "@/lib/triage/rules";

// Everything a report (patient page, PDF, FHIR) is made of, read in one place. The file name is left out
// on purpose: people name files after patients, and nothing a report prints needs it.
export interface ReportData {
  analysis: {
    id: string;
    imageSha256: string;
    createdAt: Date;
    modality: string | null;
    viewPosition: string | null;
    accessionNumber: string | null;
    studyInstanceUid: string | null;
    studyDate: string | null;
    triageLevel: TriageLevel | null;
    warnings: { code: string; message: string }[];
    model: { name: string | null; version: string | null; trained: boolean | null };
    /** mm per pixel [row, column]; null: measurements are in pixels, uncalibrated. */
    pixelSpacing: [number, number] | null;
  };
  /** In the model's output order. */
  /** calibrated null: not assessed by this model. */
  findings: { position: number; label: string; probability: number; calibrated: number | null; positive: boolean }[];
  /** The latest signed-off review version: what the radiologist stands behind. */
  review: {
    version: number;
    impression: string;
    decisions: Record<string, "agree" | "disagree">;
    addedFindings: string[];
    measurements: Measurement[];
    amendmentReason: string | null;
    /** Never normal beside a confirmed finding (lib/reviews/overall-result.ts): every report prints this one. */
    overallResult: OverallResult;
    signedOffAt: Date;
    reviewer: { id: string; name: string; email: string };
  };
  /** Class activation maps, shape [labels, 7, 7], or null when none were stored. */
  cam: { shape: number[]; data: number[] } | null;
  /** The anatomy model's measurements (cardiothoracic ratio, finding zones), when it has run. */
  anatomy?: AnatomySummary | null;
}

/**
 * The report as a patient may see it: staff e-mail addresses are not theirs to have, so the reviewer
 * is known by name only (or, with no name on the account, as "your radiologist" where it is shown).
 */
export function forPatients(report: ReportData): ReportData {
  return { ...report, review: { ...report.review, reviewer: { ...report.review.reviewer, email: "" } } };
}

/** The report of an analysis, or null when it does not exist or has no signed-off review yet. */
export async function loadReportData(analysisId: string): Promise<ReportData | null> {
  const row = await latestSignOff(analysisId);
  if (!row) return null;
  const [rows, [cam], anatomy] = await Promise.all([
    db
      .select({
        position: findings.position,
        label: findings.label,
        probability: findings.probability,
        calibrated: findings.calibrated,
        positive: findings.positive,
      })
      .from(findings)
      .where(eq(findings.analysisId, analysisId))
      .orderBy(asc(findings.position)),
    db.select().from(analysisCams).where(eq(analysisCams.analysisId, analysisId)).limit(1),
    findAnatomy(analysisId),
  ]);
  const a = row.analysis;
  const confirmed = confirmedFindings(row.review, rows);
  return {
    analysis: {
      id: a.id,
      imageSha256: a.imageSha256,
      createdAt: a.createdAt,
      modality: a.modality,
      viewPosition: a.viewPosition,
      accessionNumber: a.accessionNumber,
      studyInstanceUid: a.studyInstanceUid,
      studyDate: a.studyDate,
      triageLevel: a.triageLevel,
      warnings: a.warnings,
      model: { name: a.modelName, version: a.modelVersion, trained: a.modelTrained },
      pixelSpacing: spacingOf(a.metadata),
    },
    findings: rows,
    review: {
      version: row.review.version,
      impression: row.review.impression,
      decisions: row.review.decisions,
      addedFindings: row.review.addedFindings,
      measurements: row.review.measurements,
      amendmentReason: row.review.amendmentReason,
      overallResult: reportedResult(row.review.overallResult, confirmed),
      signedOffAt: row.review.signedOffAt,
      reviewer: row.reviewer,
    },
    cam: cam ? { shape: cam.shape, data: cam.data } : null,
    anatomy: anatomy?.summary ?? null,
  };
}

/** The 7x7 map of one finding, by its output position, or null when absent or malformed. */
export function camFor(cam: ReportData["cam"], position: number): number[] | null {
  if (!cam || cam.shape.length !== 3) return null;
  const [labels, h, w] = cam.shape;
  if (position < 0 || position >= labels || cam.data.length !== labels * h * w) return null;
  return cam.data.slice(position * h * w, (position + 1) * h * w);
}

export function camSide(cam: ReportData["cam"]): { h: number; w: number } {
  return { h: cam?.shape[1] ?? 7, w: cam?.shape[2] ?? 7 };
}
