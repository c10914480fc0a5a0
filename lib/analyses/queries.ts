import "server-only";
import { and, asc, count, desc, eq, inArray } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { isUuid } from "@/lib/core/uuid-param";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { analyses, analysisCams, findings, type Analysis, type Finding } from "@/lib/db/schema";
import { clinicalWork } from "./purpose";
import { visibleAnalyses } from "./visibility";

// Every query takes the acting person and only ever reads what lib/analyses/visibility allows; an id
// outside it (or malformed) is a 404 with the same message as a missing one.

const notFound = () => new AppError("not_found", "No such analysis.");

async function visibleAnalysis(actor: Principal, id: string): Promise<Analysis> {
  if (!isUuid(id)) throw notFound();
  const [row] = await db
    .select()
    .from(analyses)
    .where(and(eq(analyses.id, id), visibleAnalyses(actor)))
    .limit(1);
  if (!row) throw notFound();
  return row;
}

export interface AnalysisDetail {
  analysis: Analysis;
  /** Model output order. */
  findings: Finding[];
  cam: { shape: number[]; data: number[] } | null;
}

/** The analysis with findings and CAM, or a 404 AppError when it does not exist or is not visible. */
export async function getAnalysisDetail(actor: Principal, id: string): Promise<AnalysisDetail> {
  const analysis = await visibleAnalysis(actor, id);
  const rows = await db.select().from(findings).where(eq(findings.analysisId, id)).orderBy(asc(findings.position));
  const [cam] = await db.select().from(analysisCams).where(eq(analysisCams.analysisId, id)).limit(1);
  return { analysis, findings: rows, cam: cam ? { shape: cam.shape, data: cam.data } : null };
}

/** The image sha256 behind an analysis the actor may see (for serving renderings). */
export async function getVisibleImageSha(actor: Principal, id: string): Promise<string> {
  return (await visibleAnalysis(actor, id)).imageSha256;
}

export interface HistoryItem {
  id: string;
  fileName: string;
  createdAt: string;
  status: Analysis["status"];
  triageLevel: Analysis["triageLevel"];
  reviewStatus: Analysis["reviewStatus"];
  modelTrained: boolean | null;
  warnings: number;
  topFinding: { label: string; calibrated: number; positive: boolean } | null;
}

export interface HistoryPage {
  items: HistoryItem[];
  page: number;
  pageSize: number;
  total: number;
}

/** The clinical analyses the actor may see, newest first, one page at a time (pages count from 1). */
export async function listHistory(actor: Principal, page = 1, pageSize = 20): Promise<HistoryPage> {
  const safePage = Math.max(1, Math.floor(page));
  const size = Math.min(100, Math.max(1, Math.floor(pageSize)));
  const where = and(visibleAnalyses(actor), clinicalWork());
  const rows = await db
    .select()
    .from(analyses)
    .where(where)
    .orderBy(desc(analyses.createdAt), desc(analyses.id))
    .limit(size)
    .offset((safePage - 1) * size);
  const [{ total }] = await db.select({ total: count() }).from(analyses).where(where);
  const ids = rows.map((r) => r.id);
  const top = new Map<string, NonNullable<HistoryItem["topFinding"]>>();
  if (ids.length) {
    const all = await db
      .select({ analysisId: findings.analysisId, label: findings.label, calibrated: findings.calibrated, positive: findings.positive })
      .from(findings)
      .where(inArray(findings.analysisId, ids));
    for (const f of all) {
      const best = top.get(f.analysisId);
      // A finding this model did not assess has no score: it is never the top one.
      if (f.calibrated === null) continue;
      if (!best || f.calibrated > best.calibrated) top.set(f.analysisId, { label: f.label, calibrated: f.calibrated, positive: f.positive });
    }
  }
  return {
    page: safePage,
    pageSize: size,
    total,
    items: rows.map((r) => ({
      id: r.id,
      fileName: r.fileName,
      createdAt: r.createdAt.toISOString(),
      status: r.status,
      triageLevel: r.triageLevel,
      reviewStatus: r.reviewStatus,
      modelTrained: r.modelTrained,
      warnings: r.warnings.length,
      topFinding: top.get(r.id) ?? null,
    })),
  };
}
