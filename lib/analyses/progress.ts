import "server-only";
import { and, inArray } from "drizzle-orm";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { analyses, type AnalysisStatus } from "@/lib/db/schema";
import { queuePlaces } from "@/lib/queue/depth";
import { visibleAnalyses } from "./visibility";

/** Where an analysis stands, for pages that follow uploads live (the upload page, the worklist). */
export interface AnalysisProgress {
  id: string;
  status: AnalysisStatus;
  /** Place in the queue while queued (1 = next). */
  queuePosition: number | null;
  /** Why it failed, for a person, once failed. */
  error: string | null;
  /** The quality gate's warnings once analysed (e.g. not a radiograph): the upload list shows them. */
  warnings: { code: string; message: string }[];
}

export async function analysisProgress(actor: Principal, ids: string[]): Promise<AnalysisProgress[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: analyses.id, status: analyses.status, error: analyses.error, warnings: analyses.warnings })
    .from(analyses)
    .where(and(inArray(analyses.id, ids), visibleAnalyses(actor)));
  const places = await queuePlaces(rows.filter((r) => r.status === "queued").map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    queuePosition: places.get(r.id) ?? null,
    error: r.status === "failed" ? r.error : null,
    warnings: r.status === "completed" ? r.warnings.map((w) => ({ code: w.code, message: w.message })) : [],
  }));
}
