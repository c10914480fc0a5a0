// The radiologists' worklist: every analysis staff may see, most urgent first, then newest. Staff see
// the whole team's studies (issue 4), so no per-user filter applies here; the route admits staff only.
import "server-only";
import { and, desc, eq, gte, ilike, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { storedLabelOrder } from "@/lib/analyses/reads";
import { db } from "@/lib/db/client";
import { analyses, findings, reviews, users } from "@/lib/db/schema";
import { evaluateTriage, OFF_THRESHOLD, thresholdFor, triageFinding } from "@/lib/triage/rules";
import { getTriageThresholds } from "@/lib/triage/thresholds";
import type { ParsedWorklistFilters, WorklistPage, WorklistRow } from "./input";

/** Same order as TRIAGE_RANK, with studies still processing right after critical: they may be critical. */
const triageRank = sql<number>`case ${analyses.triageLevel}
  when 'critical' then 0 when 'abnormal' then 2 when 'not_assessable' then 3 when 'normal' then 4 else 1 end`;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function conditions(f: ParsedWorklistFilters, thresholds: Record<string, number>): SQL[] {
  const where: SQL[] = [];
  if (f.status) where.push(eq(analyses.reviewStatus, f.status));
  if (f.triage) where.push(eq(analyses.triageLevel, f.triage));
  if (f.uploader) where.push(eq(analyses.uploadedBy, f.uploader));
  if (f.from) where.push(gte(analyses.createdAt, new Date(f.from)));
  if (f.to) where.push(lt(analyses.createdAt, new Date(f.to)));
  if (f.q) {
    const pattern = `%${likeEscape(f.q)}%`;
    where.push(or(ilike(analyses.accessionNumber, pattern), ilike(analyses.fileName, pattern))!);
  }
  if (f.finding) {
    // "Has this finding" means what the worklist shows: called at the site's threshold for the label.
    const t = thresholdFor(f.finding, thresholds);
    if (t >= OFF_THRESHOLD) where.push(sql`false`);
    else where.push(sql`exists (select 1 from ${findings} where ${findings.analysisId} = ${analyses.id}
      and ${findings.label} = ${f.finding} and ${findings.calibrated} >= ${t}
      and not (${findings.calibrated} = 0.5 and not ${findings.positive}))`);
  }
  return where;
}

export async function queryWorklist(filters: ParsedWorklistFilters): Promise<WorklistPage> {
  const thresholds = await getTriageThresholds();
  const where = and(...conditions(filters, thresholds));
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(analyses).where(where);
  // Counts per level under every filter except the level itself: the chips that switch between levels.
  const levelCounts = await db
    .select({ level: analyses.triageLevel, n: sql<number>`count(*)::int` })
    .from(analyses)
    .where(and(...conditions({ ...filters, triage: undefined }, thresholds)))
    .groupBy(analyses.triageLevel);
  const counts = Object.fromEntries(levelCounts.map((c) => [c.level ?? "processing", c.n])) as WorklistPage["counts"];
  const base = await db
    .select({ a: analyses, uploaderName: users.name, uploaderEmail: users.email })
    .from(analyses)
    .leftJoin(users, eq(users.id, analyses.uploadedBy))
    .where(where)
    .orderBy(triageRank, desc(analyses.createdAt), desc(analyses.id))
    .limit(filters.pageSize)
    .offset((filters.page - 1) * filters.pageSize);

  const ids = base.map((r) => r.a.id);
  const findingRows = ids.length
    ? await db
        .select({
          analysisId: findings.analysisId,
          label: findings.label,
          calibrated: findings.calibrated,
          positive: findings.positive,
        })
        .from(findings)
        .where(inArray(findings.analysisId, ids))
    : [];
  const reviewerRows = ids.length
    ? await db
        .selectDistinctOn([reviews.analysisId], { analysisId: reviews.analysisId, name: users.name, email: users.email })
        .from(reviews)
        .innerJoin(users, eq(users.id, reviews.reviewerId))
        .where(inArray(reviews.analysisId, ids))
        .orderBy(reviews.analysisId, desc(reviews.version))
    : [];
  const reviewer = new Map(reviewerRows.map((r) => [r.analysisId, r.name || r.email]));

  const rows: WorklistRow[] = base.map(({ a, uploaderName, uploaderEmail }) => {
    const own = findingRows.filter((f) => f.analysisId === a.id);
    const triage = evaluateTriage({ status: a.status, warnings: a.warnings, findings: own.map(triageFinding), thresholds });
    const called = triage.calledLabels.map((label) => ({ label, calibrated: own.find((f) => f.label === label)!.calibrated }));
    return {
      id: a.id,
      createdAt: a.createdAt.toISOString(),
      fileName: a.fileName,
      accessionNumber: a.accessionNumber,
      studyDate: a.studyDate,
      viewPosition: a.viewPosition,
      modality: a.modality,
      status: a.status,
      triageLevel: a.triageLevel,
      triageReason: triage.reasons[0] ?? "",
      reviewStatus: a.reviewStatus,
      uploader: uploaderName || uploaderEmail || null,
      reviewer: reviewer.get(a.id) ?? null,
      called,
    };
  });
  return { rows, total, counts, page: filters.page, pageSize: filters.pageSize, asOf: new Date().toISOString() };
}

/** Choices for the filter bar: people who uploaded something, and the labels the model reports. */
export async function worklistFilterOptions() {
  const uploaders = await db
    .selectDistinct({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .innerJoin(analyses, eq(analyses.uploadedBy, users.id));
  const labels = await storedLabelOrder();
  return {
    uploaders: uploaders.map((u) => ({ id: u.id, name: u.name || u.email })).sort((a, b) => a.name.localeCompare(b.name)),
    labels,
  };
}
