import "server-only";
import { asc, count, desc, eq, inArray } from "drizzle-orm";
import { AppError } from "@/lib/api/errors";
import { isStaff, type Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { analyses, analysisCams, findings, type Analysis, type Finding } from "@/lib/db/schema";

// Analyses belong to the team: admins and radiologists see all of them. Patients never read analyses
// directly; they see reports shared with them (lib/shares). Anyone else gets a 404 for an id, so the
// answer never confirms that a record exists.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function assertStaff(actor: Principal): void {
  if (!isStaff(actor)) throw new AppError("not_found", "No such analysis.");
}

export interface AnalysisDetail {
  analysis: Analysis;
  /** Model output order. */
  findings: Finding[];
  cam: { shape: number[]; data: number[] } | null;
}

/** The analysis with findings and CAM, or a 404 AppError when it does not exist or is not visible. */
export async function getAnalysisDetail(actor: Principal, id: string): Promise<AnalysisDetail> {
  assertStaff(actor);
  if (!UUID.test(id)) throw new AppError("not_found", "No such analysis.");
  const [analysis] = await db.select().from(analyses).where(eq(analyses.id, id)).limit(1);
  if (!analysis) throw new AppError("not_found", "No such analysis.");
  const rows = await db.select().from(findings).where(eq(findings.analysisId, id)).orderBy(asc(findings.position));
  const [cam] = await db.select().from(analysisCams).where(eq(analysisCams.analysisId, id)).limit(1);
  return { analysis, findings: rows, cam: cam ? { shape: cam.shape, data: cam.data } : null };
}

/** The image sha256 behind an analysis the actor may see (for serving renderings). */
export async function getVisibleImageSha(actor: Principal, id: string): Promise<string> {
  assertStaff(actor);
  if (!UUID.test(id)) throw new AppError("not_found", "No such analysis.");
  const [row] = await db.select({ sha: analyses.imageSha256 }).from(analyses).where(eq(analyses.id, id)).limit(1);
  if (!row) throw new AppError("not_found", "No such analysis.");
  return row.sha;
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

/** The team's analyses, newest first. */
export async function listHistory(actor: Principal, page = 1, pageSize = 20): Promise<HistoryPage> {
  assertStaff(actor);
  const safePage = Math.max(1, Math.floor(page));
  const rows = await db
    .select()
    .from(analyses)
    .orderBy(desc(analyses.createdAt), desc(analyses.id))
    .limit(pageSize)
    .offset((safePage - 1) * pageSize);
  const [{ total }] = await db.select({ total: count() }).from(analyses);
  const ids = rows.map((r) => r.id);
  const top = new Map<string, HistoryItem["topFinding"]>();
  if (ids.length) {
    const all = await db
      .select({ analysisId: findings.analysisId, label: findings.label, calibrated: findings.calibrated, positive: findings.positive })
      .from(findings)
      .where(inArray(findings.analysisId, ids));
    for (const f of all) {
      const best = top.get(f.analysisId);
      if (!best || f.calibrated > best.calibrated) top.set(f.analysisId, f);
    }
  }
  return {
    page: safePage,
    pageSize,
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

