// What the radiologist's workspace on the result page needs, read in one place: findings in model
// order, the CAM for heatmaps, the triage level with its reasons, and the review with its versions.
import "server-only";
import { asc, eq } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { analyses, analysisCams, findings, images } from "@/lib/db/schema";
import { loadReportDraft } from "@/lib/reports/load-draft";
import type { ReviewState } from "@/lib/reviews/input";
import { getReviewState } from "@/lib/reviews/service";
import { triageOf } from "@/lib/triage/apply";
import type { AnalysisStatus } from "@/lib/db/schema";
import type { TriageLevel } from "@/lib/triage/rules";
import { getTriageThresholds } from "@/lib/triage/thresholds";

export interface WorkspaceData {
  analysisId: string;
  status: AnalysisStatus;
  /** The stored film has more than 8 bits per pixel: the viewer can window its stored values. */
  hiBit: boolean;
  findings: { label: string; calibrated: number; positive: boolean; index: number }[];
  cam: { shape: [number, number, number]; data: number[] } | null;
  triage: { level: TriageLevel | null; reasons: string[]; calledLabels: string[] };
  review: ReviewState;
  report: string | null;
  /** When the site's retention rules removed the film's renderings (ISO date), else null: the
   *  findings and review stay, the viewer says the image is gone. */
  imageRemovedAt: string | null;
}

/** The stored film has more than 8 bits per pixel (the viewer then windows its stored values). */
export function isHiBit(meta: Record<string, unknown>): boolean {
  if (meta.kind === "dicom") return typeof meta.bitsStored === "number" && meta.bitsStored > 8;
  return meta.kind === "raster" && meta.bitDepth === 16;
}

/** null when the analysis does not exist (the page answers 404). Callers check visibility first. */
export async function loadWorkspace(analysisId: string): Promise<WorkspaceData | null> {
  const [analysis] = await db
    .select({
      id: analyses.id,
      status: analyses.status,
      warnings: analyses.warnings,
      triageLevel: analyses.triageLevel,
      metadata: analyses.metadata,
      renderingsRemovedAt: images.renderingsRemovedAt,
    })
    .from(analyses)
    .innerJoin(images, eq(images.sha256, analyses.imageSha256))
    .where(eq(analyses.id, analysisId))
    .limit(1);
  if (!analysis) return null;
  const rows = await db
    .select({ label: findings.label, calibrated: findings.calibrated, positive: findings.positive, position: findings.position })
    .from(findings)
    .where(eq(findings.analysisId, analysisId))
    .orderBy(asc(findings.position));
  const [cam] = await db.select().from(analysisCams).where(eq(analysisCams.analysisId, analysisId)).limit(1);
  const triage = triageOf(analysis, rows, await getTriageThresholds());
  const shape = cam?.shape;
  return {
    analysisId,
    status: analysis.status,
    hiBit: isHiBit(analysis.metadata),
    // A finding this model did not assess has no score, map or call to agree with: the reading tools list
    // only the assessed ones (the findings list beside them says which were not assessed).
    findings: rows.flatMap((r) => (r.calibrated === null ? [] : [{ label: r.label, calibrated: r.calibrated, positive: r.positive, index: r.position }])),
    cam: cam && shape?.length === 3 ? { shape: [shape[0], shape[1], shape[2]], data: cam.data } : null,
    // The stored level is what the worklist sorts by; the reasons are recomputed with the same rules.
    triage: { level: analysis.triageLevel, reasons: triage.reasons, calledLabels: triage.calledLabels },
    review: await getReviewState(analysisId),
    report: await loadReportDraft(analysisId),
    imageRemovedAt: analysis.renderingsRemovedAt?.toISOString().slice(0, 10) ?? null,
  };
}
