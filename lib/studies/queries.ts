// Reads of studies and a patient's earlier studies. Every read takes the acting principal and keeps to
// what lib/analyses/visibility allows: a study is visible when one of its analyses is, and only visible
// analyses are listed. The patient link itself never leaves this module.
import "server-only";
import { and, asc, desc, eq, inArray, isNotNull, ne, sql, type SQL } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { isUuid } from "@/lib/core/uuid-param";
import { clinicalWork } from "@/lib/analyses/purpose";
import { visibleAnalyses } from "@/lib/analyses/visibility";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { analyses, reviews, studies, type AnalysisStatus, type Study } from "@/lib/db/schema";
import type { TriageLevel } from "@/lib/triage/rules";
import { primaryImage, studyTriage } from "./study-triage";

export interface StudyImageRow {
  analysisId: string;
  fileName: string;
  viewPosition: string | null;
  status: AnalysisStatus;
  triageLevel: TriageLevel | null;
  /** False when the quality gates found a lateral or other non-frontal view: shown, never scored as frontal. */
  frontal: boolean;
  createdAt: Date;
}

export interface StudySummary {
  id: string;
  studyInstanceUid: string | null;
  studyDate: string | null;
  createdAt: Date;
  triageLevel: TriageLevel | null;
  /** Upload order. */
  images: StudyImageRow[];
  /** The image the study is read by (see study-triage). */
  primaryAnalysisId: string | null;
}

export interface PriorStudy {
  studyId: string;
  studyDate: string | null;
  createdAt: Date;
  triageLevel: TriageLevel | null;
  analysisIds: string[];
  primaryAnalysisId: string | null;
  /** The newest signed-off impression among the study's images, or null. */
  impression: string | null;
}

async function imagesOf(actor: Principal, studyIds: string[], where?: SQL): Promise<Map<string, StudyImageRow[]>> {
  const byStudy = new Map<string, StudyImageRow[]>();
  if (studyIds.length === 0) return byStudy;
  const rows = await db
    .select({
      studyId: analyses.studyId,
      analysisId: analyses.id,
      fileName: analyses.fileName,
      viewPosition: analyses.viewPosition,
      status: analyses.status,
      triageLevel: analyses.triageLevel,
      warnings: analyses.warnings,
      createdAt: analyses.createdAt,
    })
    .from(analyses)
    .where(and(inArray(analyses.studyId, studyIds), visibleAnalyses(actor), where))
    .orderBy(asc(analyses.createdAt), asc(analyses.id));
  for (const { studyId, warnings, ...r } of rows) {
    const list = byStudy.get(studyId) ?? [];
    list.push({ ...r, frontal: !warnings.some((w) => w.code === "non_frontal_view") });
    byStudy.set(studyId, list);
  }
  return byStudy;
}

function summary(study: Study, images: StudyImageRow[]): StudySummary {
  return {
    id: study.id,
    studyInstanceUid: study.studyInstanceUid,
    studyDate: study.studyDate,
    createdAt: study.createdAt,
    triageLevel: studyTriage(images),
    images,
    primaryAnalysisId: primaryImage(images)?.analysisId ?? null,
  };
}

const notFound = () => new AppError("not_found", "No such study.");

async function loadStudy(actor: Principal, id: string): Promise<{ study: Study; summary: StudySummary }> {
  if (!isUuid(id)) throw notFound();
  const [study] = await db.select().from(studies).where(eq(studies.id, id)).limit(1);
  if (!study) throw notFound();
  const images = (await imagesOf(actor, [id])).get(id) ?? [];
  // A study none of whose images the actor may see does not exist for them.
  if (images.length === 0) throw notFound();
  return { study, summary: summary(study, images) };
}

/** The study (with its visible images), or a 404 AppError. */
export async function getStudy(actor: Principal, id: string): Promise<StudySummary> {
  return (await loadStudy(actor, id)).summary;
}

/** The study of a visible analysis; callers have checked the analysis' visibility. */
export async function getStudyOfAnalysis(actor: Principal, analysisId: string): Promise<StudySummary> {
  const [row] = await db.select({ studyId: analyses.studyId }).from(analyses).where(eq(analyses.id, analysisId)).limit(1);
  if (!row) throw new AppError("not_found", "No such analysis.");
  return getStudy(actor, row.studyId);
}

// The study's place in time: its DICOM date when known, else the day it was uploaded; ties by upload.
const when = sql`(coalesce(${studies.studyDate}, to_char(${studies.createdAt} at time zone 'UTC', 'YYYY-MM-DD')), ${studies.createdAt})`;

/** The same patient's studies before `studyId`, newest first (the earliest last). None without a link. */
export async function getPriors(actor: Principal, studyId: string): Promise<PriorStudy[]> {
  const [current] = await db.select().from(studies).where(eq(studies.id, studyId)).limit(1);
  if (!current?.patientLink) return [];
  const currentWhen = sql`(${current.studyDate ?? current.createdAt.toISOString().slice(0, 10)}::text, ${current.createdAt.toISOString()}::timestamptz)`;
  const earlier = await db
    .select()
    .from(studies)
    .where(and(eq(studies.patientLink, current.patientLink), ne(studies.id, studyId), sql`${when} < ${currentWhen}`))
    .orderBy(desc(sql`coalesce(${studies.studyDate}, to_char(${studies.createdAt} at time zone 'UTC', 'YYYY-MM-DD'))`), desc(studies.createdAt));
  // A prior is a patient's clinical study; a validation film is never compared with.
  const images = await imagesOf(actor, earlier.map((s) => s.id), clinicalWork());
  const visible = earlier.filter((s) => (images.get(s.id)?.length ?? 0) > 0);
  const impressions = await signedImpressions(visible.flatMap((s) => images.get(s.id)!.map((i) => i.analysisId)));
  return visible.map((s) => {
    const own = images.get(s.id)!;
    const signed = own.map((i) => impressions.get(i.analysisId)).filter((x): x is { text: string; at: Date } => !!x);
    signed.sort((a, b) => b.at.getTime() - a.at.getTime());
    return {
      studyId: s.id,
      studyDate: s.studyDate,
      createdAt: s.createdAt,
      triageLevel: studyTriage(own),
      analysisIds: own.map((i) => i.analysisId),
      primaryAnalysisId: primaryImage(own)?.analysisId ?? null,
      impression: signed[0]?.text ?? null,
    };
  });
}

/** The current signed-off impression per analysis (the newest signed version). */
async function signedImpressions(analysisIds: string[]): Promise<Map<string, { text: string; at: Date }>> {
  const out = new Map<string, { text: string; at: Date }>();
  if (analysisIds.length === 0) return out;
  const rows = await db
    .selectDistinctOn([reviews.analysisId], { analysisId: reviews.analysisId, impression: reviews.impression, at: reviews.signedOffAt })
    .from(reviews)
    .where(and(inArray(reviews.analysisId, analysisIds), isNotNull(reviews.signedOffAt)))
    .orderBy(reviews.analysisId, desc(reviews.version));
  for (const r of rows) if (r.at) out.set(r.analysisId, { text: r.impression, at: r.at });
  return out;
}
