import "server-only";
import { and, eq, exists, gte, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { analyses, findings, type Analysis } from "@/lib/db/schema";
import { clinicalWork } from "./purpose";

/**
 * A finding an analysis must have: as stored (`positive` at the model's operating point, what the API
 * reports), or called at a threshold on the calibrated score (what the worklist shows at the site's
 * thresholds; null: the label is switched off, so nothing matches).
 */
export type FindingFilter = { label: string; storedPositive: true } | { label: string; calibratedAtLeast: number | null };

/** The filters an analysis list can take; the worklist and GET /api/v1/analyses both build on them. */
export interface AnalysisFilters {
  status?: Analysis["status"];
  reviewStatus?: Analysis["reviewStatus"];
  triageLevel?: NonNullable<Analysis["triageLevel"]>;
  uploadedBy?: string;
  /** Inclusive lower bound on createdAt (an ISO instant). */
  createdFrom?: string;
  /** Exclusive upper bound on createdAt (an ISO instant). */
  createdBefore?: string;
  /** Accession number or file name contains this text (case-insensitive, wildcards taken literally). */
  text?: string;
  finding?: FindingFilter;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function hasFinding(f: FindingFilter): SQL {
  if ("storedPositive" in f) {
    return exists(
      db
        .select({ one: sql`1` })
        .from(findings)
        .where(and(eq(findings.analysisId, analyses.id), eq(findings.label, f.label), eq(findings.positive, true))),
    );
  }
  if (f.calibratedAtLeast === null) return sql`false`;
  // A score of exactly 0.5 that the model did not call positive stays uncalled (the threshold's tie).
  return sql`exists (select 1 from ${findings} where ${findings.analysisId} = ${analyses.id}
      and ${findings.label} = ${f.label} and ${findings.calibrated} >= ${f.calibratedAtLeast}
      and not (${findings.calibrated} = 0.5 and not ${findings.positive}))`;
}

/**
 * The WHERE conditions for `f` on the analyses table (combine them with and(), beside visibility).
 * A list of analyses is a list of clinical work: validation films are never among them.
 */
export function analysisFilterConditions(f: AnalysisFilters): SQL[] {
  const where: SQL[] = [clinicalWork()];
  if (f.status) where.push(eq(analyses.status, f.status));
  if (f.reviewStatus) where.push(eq(analyses.reviewStatus, f.reviewStatus));
  if (f.triageLevel) where.push(eq(analyses.triageLevel, f.triageLevel));
  if (f.uploadedBy) where.push(eq(analyses.uploadedBy, f.uploadedBy));
  if (f.createdFrom) where.push(gte(analyses.createdAt, new Date(f.createdFrom)));
  if (f.createdBefore) where.push(lt(analyses.createdAt, new Date(f.createdBefore)));
  if (f.text) {
    const pattern = `%${likeEscape(f.text)}%`;
    where.push(or(ilike(analyses.accessionNumber, pattern), ilike(analyses.fileName, pattern))!);
  }
  if (f.finding) where.push(hasFinding(f.finding));
  return where;
}
