import "server-only";
import { and, asc, count, eq, isNotNull, lt, or, sql } from "drizzle-orm";
import { findAnatomy } from "@/lib/analyses/anatomy-store";
import { AppError } from "@/lib/core/errors";
import { db } from "@/lib/db/client";
import { analyses, analysisCams, findings, reviews, users } from "@/lib/db/schema";
import { spacingOf } from "@/lib/studies/measurements";
import { getStored } from "@/lib/storage/content-store";
import { thresholdFor } from "@/lib/triage/rules";
import { getTriageThresholds } from "@/lib/triage/thresholds";
import { NotDicomSourceError, sourceContext, type SourceContext } from "./dicom-file";
import type { ResultContent } from "./result-content";

// Gathers what a DICOM result is written from: the stored analysis, its findings and maps, the site
// thresholds now, the signed-off review version when verified, and the original file's context.

export interface LoadedResult {
  content: ResultContent;
  source: SourceContext;
  imageSha256: string;
}

async function loadVerification(analysisId: string, reviewVersion: number) {
  const [row] = await db
    .select({ review: reviews, reviewerName: users.name, reviewerEmail: users.email })
    .from(reviews)
    .innerJoin(users, eq(users.id, reviews.reviewerId))
    .where(and(eq(reviews.analysisId, analysisId), eq(reviews.version, reviewVersion), isNotNull(reviews.signedOffAt)))
    .limit(1);
  if (!row?.review.signedOffAt) return null;
  return {
    reviewVersion,
    reviewerName: row.reviewerName || row.reviewerEmail,
    signedOffAt: row.review.signedOffAt,
    impression: row.review.impression,
    measurements: row.review.measurements,
  };
}

/** 1 for the study's first analysis, 2 for the next (by creation, then id); 1 without a study. */
async function studyOrdinal(analysis: { id: string; studyId: string | null; createdAt: Date }): Promise<number> {
  if (!analysis.studyId) return 1;
  const [row] = await db
    .select({ n: count() })
    .from(analyses)
    .where(
      and(
        eq(analyses.studyId, analysis.studyId),
        or(lt(analyses.createdAt, analysis.createdAt), and(eq(analyses.createdAt, analysis.createdAt), sql`${analyses.id} <= ${analysis.id}`)),
      ),
    );
  return Math.max(1, Number(row?.n ?? 1));
}

/** The result of a completed analysis of a DICOM file; reviewVersion 0 is the unverified one. */
export async function loadResult(analysisId: string, reviewVersion = 0): Promise<LoadedResult> {
  const [analysis] = await db.select().from(analyses).where(eq(analyses.id, analysisId)).limit(1);
  if (!analysis) throw new AppError("not_found", "No such analysis.");
  if (analysis.status !== "completed" || !analysis.modelName || !analysis.modelVersion) {
    throw new AppError("conflict", "The analysis has no result yet.", { subcode: "analysis_not_completed" });
  }
  const original = await getStored("original", analysis.imageSha256);
  if (!original) throw new AppError("not_found", "The original file of this analysis is no longer stored.");
  let source: SourceContext;
  try {
    source = sourceContext(original);
  } catch (error) {
    if (error instanceof NotDicomSourceError) {
      throw new AppError("conflict", "DICOM results are written only for analyses of DICOM files: this one was uploaded as an image.", {
        subcode: "not_dicom_source",
      });
    }
    throw error;
  }
  const signed = reviewVersion > 0 ? await loadVerification(analysisId, reviewVersion) : null;
  const verification = signed && { ...signed, pixelSpacing: spacingOf(analysis.metadata) };
  if (reviewVersion > 0 && !verification) throw new AppError("not_found", "That review version is not signed off.");
  const [rows, [cam], thresholds, ordinal, anatomy] = await Promise.all([
    db.select().from(findings).where(eq(findings.analysisId, analysisId)).orderBy(asc(findings.position)),
    db.select().from(analysisCams).where(eq(analysisCams.analysisId, analysisId)).limit(1),
    getTriageThresholds(),
    studyOrdinal(analysis),
    findAnatomy(analysisId),
  ]);
  const [labels, h, w] = cam?.shape ?? [0, 0, 0];
  const camOf = (position: number) =>
    cam && cam.data.length === labels * h * w && position < labels ? cam.data.slice(position * h * w, (position + 1) * h * w) : null;
  return {
    imageSha256: analysis.imageSha256,
    source,
    content: {
      analysisId,
      studyOrdinal: ordinal,
      analysedAt: analysis.createdAt,
      model: { name: analysis.modelName, version: analysis.modelVersion, trained: analysis.modelTrained ?? false },
      findings: rows.map((f) => ({
        label: f.label,
        calibrated: f.calibrated,
        positive: f.positive,
        threshold: thresholdFor(f.label, thresholds),
        cam: camOf(f.position),
      })),
      camSide: { h, w },
      triageLevel: analysis.triageLevel,
      qualityWarnings: analysis.warnings.map((w) => w.message),
      pixelSpacing: spacingOf(analysis.metadata),
      verification,
      anatomy: anatomy?.summary ?? null,
      viewPosition: analysis.viewPosition,
      nonFrontal: analysis.warnings.some((w) => w.code === "non_frontal_view"),
    },
  };
}

/** The latest signed-off review version, or 0 when there is none. */
export async function latestSignedVersion(analysisId: string): Promise<number> {
  const rows = await db
    .select({ version: reviews.version })
    .from(reviews)
    .where(and(eq(reviews.analysisId, analysisId), isNotNull(reviews.signedOffAt)))
    .orderBy(asc(reviews.version));
  return rows.at(-1)?.version ?? 0;
}
