// Aggregates behind the statistics page. Each returns flat rows (one per bar/slice) so the same rows
// feed the chart and its CSV. Days are UTC calendar days.
import "server-only";
import { and, eq, gte, inArray, isNotNull, sql, type SQL } from "drizzle-orm";
import { currentReviews, storedLabelOrder } from "@/lib/analyses/reads";
import { clinicalWork } from "@/lib/analyses/purpose";
import { db } from "@/lib/db/client";
import { analyses, findings } from "@/lib/db/schema";
import { TRIAGE_LEVELS, type TriageLevel } from "@/lib/triage/rules";
import { computeAgreement, type AgreementRow, type ReviewedCall } from "./agreement";

export interface StatsRange {
  /** Only analyses created in the last `days` days; undefined means all time. */
  days?: number;
  /** Only analyses uploaded by this user (a site's or a person's own numbers). */
  uploader?: string;
}

/** Statistics are of clinical work: a validation set's films have their own results page. */
function scope(range: StatsRange): SQL | undefined {
  return and(
    clinicalWork(),
    range.days ? gte(analyses.createdAt, sql`now() - make_interval(days => ${range.days})`) : undefined,
    range.uploader ? eq(analyses.uploadedBy, range.uploader) : undefined,
  );
}

export interface VolumeRow {
  day: string;
  total: number;
  completed: number;
  failed: number;
}

export async function volumePerDay(range: StatsRange): Promise<VolumeRow[]> {
  const day = sql<string>`to_char(date_trunc('day', ${analyses.createdAt} at time zone 'UTC'), 'YYYY-MM-DD')`;
  const rows = await db
    .select({
      day,
      total: sql<number>`count(*)::int`,
      completed: sql<number>`(count(*) filter (where ${analyses.status} = 'completed'))::int`,
      failed: sql<number>`(count(*) filter (where ${analyses.status} = 'failed'))::int`,
    })
    .from(analyses)
    .where(scope(range))
    .groupBy(day)
    .orderBy(day);
  return fillDays(rows);
}

/** Days without uploads are zeros, not gaps: a chart that skips them misleads. */
function fillDays(rows: VolumeRow[]): VolumeRow[] {
  if (rows.length < 2) return rows;
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const out: VolumeRow[] = [];
  const end = Date.parse(`${rows[rows.length - 1].day}T00:00:00Z`);
  for (let t = Date.parse(`${rows[0].day}T00:00:00Z`); t <= end; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push(byDay.get(day) ?? { day, total: 0, completed: 0, failed: 0 });
  }
  return out;
}

export interface TriageMixRow {
  level: TriageLevel;
  count: number;
}

export async function triageMix(range: StatsRange): Promise<TriageMixRow[]> {
  const rows = await db
    .select({ level: analyses.triageLevel, count: sql<number>`count(*)::int` })
    .from(analyses)
    .where(and(isNotNull(analyses.triageLevel), scope(range)))
    .groupBy(analyses.triageLevel);
  return TRIAGE_LEVELS.map((level) => ({ level, count: rows.find((r) => r.level === level)?.count ?? 0 }));
}

export interface PrevalenceRow {
  label: string;
  positive: number;
  total: number;
  rate: number;
}

/** How often the model calls each finding, over completed analyses. */
export async function findingPrevalence(range: StatsRange): Promise<PrevalenceRow[]> {
  const rows = await db
    .select({
      label: findings.label,
      position: sql<number>`min(${findings.position})::int`,
      positive: sql<number>`(count(*) filter (where ${findings.positive}))::int`,
      total: sql<number>`count(*)::int`,
    })
    .from(findings)
    .innerJoin(analyses, eq(analyses.id, findings.analysisId))
    .where(and(eq(analyses.status, "completed"), scope(range)))
    .groupBy(findings.label);
  return rows
    .sort((a, b) => a.position - b.position)
    .map(({ label, positive, total }) => ({ label, positive, total, rate: total ? positive / total : 0 }));
}

export interface ProcessingRow {
  bucket: string;
  /** Upper edge in milliseconds (Infinity for the last bucket). */
  upToMs: number;
  count: number;
}

const BUCKET_EDGES = [250, 500, 1000, 2000, 4000, 8000, 16000, Infinity];
const seconds = (ms: number) => `${ms / 1000} s`;

/** Wall time of a whole analysis: the stored total when present, else the sum of its stages. */
export function totalMs(timings: Record<string, number>): number | null {
  if (typeof timings.total === "number") return timings.total;
  const stages = Object.values(timings).filter((v) => typeof v === "number" && Number.isFinite(v));
  return stages.length ? stages.reduce((a, b) => a + b, 0) : null;
}

export async function processingTimes(range: StatsRange): Promise<ProcessingRow[]> {
  const rows = await db
    .select({ timings: analyses.timings })
    .from(analyses)
    .where(and(eq(analyses.status, "completed"), scope(range)));
  const counts = BUCKET_EDGES.map(() => 0);
  for (const { timings } of rows) {
    const ms = totalMs(timings);
    if (ms === null) continue;
    counts[BUCKET_EDGES.findIndex((edge) => ms < edge)] += 1;
  }
  return BUCKET_EDGES.map((upToMs, i) => ({
    bucket: i === 0 ? `< ${seconds(upToMs)}` : upToMs === Infinity ? `≥ ${seconds(BUCKET_EDGES[i - 1])}` : `${seconds(BUCKET_EDGES[i - 1])} – ${seconds(upToMs)}`,
    upToMs,
    count: counts[i],
  }));
}

/** Agreement against the current signed-off version of every reviewed analysis in range. */
export async function agreementPerFinding(range: StatsRange): Promise<AgreementRow[]> {
  const current = await currentReviews(scope(range));
  const signed = current.filter((r) => r.signedOffAt !== null);
  if (signed.length === 0) return computeAgreement([], await storedLabelOrder());
  const rows = await db
    .select({ analysisId: findings.analysisId, label: findings.label, positive: findings.positive })
    .from(findings)
    .where(inArray(findings.analysisId, signed.map((r) => r.analysisId)));
  const byId = new Map(signed.map((r) => [r.analysisId, r]));
  const calls: ReviewedCall[] = rows.map((f) => {
    const review = byId.get(f.analysisId)!;
    return {
      label: f.label,
      modelPositive: f.positive,
      decision: review.decisions[f.label],
      added: review.addedFindings.includes(f.label),
    };
  });
  return computeAgreement(calls, await storedLabelOrder());
}
