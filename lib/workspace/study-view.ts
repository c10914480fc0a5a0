// What the study page needs beyond the analysis itself: the study's images for the strip, the
// patient's earlier studies, and for each of those the film to compare with and its scores.
import "server-only";
import { inArray } from "drizzle-orm";
import { isHiBit } from "./load-workspace";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { analyses, findings } from "@/lib/db/schema";
import type { TriageLevel } from "@/lib/triage/rules";
import { getPriors, getStudyOfAnalysis, type StudySummary } from "@/lib/studies/queries";

/** A prior as the viewer and findings list use it: its reading film and that film's calibrated scores. */
export interface PriorView {
  studyId: string;
  studyDate: string | null;
  /** The day it was received, when the file had no study date. */
  receivedOn: string;
  triageLevel: TriageLevel | null;
  impression: string | null;
  analysisId: string;
  imageUrl: string;
  pixelsUrl?: string;
  scores: Record<string, number>;
}

export interface StudyView {
  study: StudySummary;
  /** The image on the page is a frontal film the model's scores apply to. */
  frontal: boolean;
  /** Newest first (the earliest last). */
  priors: PriorView[];
}

/** Callers have checked that `actor` may see `analysisId`. */
export async function loadStudyView(actor: Principal, analysisId: string): Promise<StudyView> {
  const study = await getStudyOfAnalysis(actor, analysisId);
  const priors = (await getPriors(actor, study.id)).filter((p) => p.primaryAnalysisId);
  const ids = priors.map((p) => p.primaryAnalysisId!);
  const metas = ids.length ? await db.select({ id: analyses.id, metadata: analyses.metadata }).from(analyses).where(inArray(analyses.id, ids)) : [];
  const scoreRows = ids.length
    ? await db.select({ analysisId: findings.analysisId, label: findings.label, calibrated: findings.calibrated }).from(findings).where(inArray(findings.analysisId, ids))
    : [];
  return {
    study,
    frontal: study.images.find((i) => i.analysisId === analysisId)?.frontal ?? true,
    priors: priors.map((p) => {
      const id = p.primaryAnalysisId!;
      const hiBit = isHiBit(metas.find((m) => m.id === id)?.metadata ?? {});
      return {
        studyId: p.studyId,
        studyDate: p.studyDate,
        receivedOn: p.createdAt.toISOString().slice(0, 10),
        triageLevel: p.triageLevel,
        impression: p.impression,
        analysisId: id,
        imageUrl: `/api/analyses/${id}/image`,
        pixelsUrl: hiBit ? `/api/analyses/${id}/pixels` : undefined,
        scores: Object.fromEntries(scoreRows.flatMap((f) => (f.analysisId === id && f.calibrated !== null ? [[f.label, f.calibrated]] : []))),
      };
    }),
  };
}
