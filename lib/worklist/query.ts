// The radiologists' worklist: every study staff may see, most urgent first, then newest. Staff see
// the whole team's studies (a team reads one shared queue), so no per-user filter applies here; the
// route admits staff only.
import "server-only";
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { analysisFilterConditions } from "@/lib/analyses/list-filters";
import { storedLabelOrder } from "@/lib/analyses/reads";
import { clinicalWork } from "@/lib/analyses/purpose";
import { db } from "@/lib/db/client";
import { analyses, findings, reviews, users } from "@/lib/db/schema";
import { queuePlaces } from "@/lib/queue/depth";
import { primaryImage } from "@/lib/studies/study-triage";
import { evaluateTriage, OFF_THRESHOLD, thresholdFor, triageFinding, type TriageLevel } from "@/lib/triage/rules";
import { getTriageThresholds } from "@/lib/triage/thresholds";
import type { ParsedWorklistFilters, WorklistPage, WorklistRow } from "./input";

/** Same order as TRIAGE_RANK, with studies still processing right after critical: they may be critical. */
const triageRank = sql<number>`case ${analyses.triageLevel}
  when 'critical' then 0 when 'abnormal' then 2 when 'not_assessable' then 3 when 'normal' then 4 else 1 end`;

function conditions(f: ParsedWorklistFilters, thresholds: Record<string, number>): SQL[] {
  // "Has this finding" means what the worklist shows: called at the site's threshold for the label.
  const calledAt = (label: string) => {
    const t = thresholdFor(label, thresholds);
    return t >= OFF_THRESHOLD ? null : t;
  };
  return analysisFilterConditions({
    reviewStatus: f.status,
    triageLevel: f.triage,
    uploadedBy: f.uploader,
    createdFrom: f.from,
    createdBefore: f.to,
    text: f.q,
    finding: f.finding ? { label: f.finding, calibratedAtLeast: calledAt(f.finding) } : undefined,
  });
}

// A study's level in the same order: the most urgent of its assessable images, "not assessable" only
// when none is (lib/studies/study-triage.ts says the same in TypeScript).
const studyRank = sql<number>`coalesce(min(${triageRank}) filter (where ${analyses.triageLevel} is distinct from 'not_assessable'), 3)`;
const RANK_OF: Record<TriageLevel, number> = { critical: 0, abnormal: 2, not_assessable: 3, normal: 4 };
const LEVEL_OF_RANK: Record<number, TriageLevel | null> = { 0: "critical", 1: null, 2: "abnormal", 3: "not_assessable", 4: "normal" };

/** Studies with an image matching the filters (all but the level), one row each with its level. */
function studyGroups(filters: ParsedWorklistFilters, thresholds: Record<string, number>) {
  const matching = db.selectDistinct({ id: analyses.studyId }).from(analyses).where(and(...conditions({ ...filters, triage: undefined }, thresholds)));
  return db
    .select({
      studyId: analyses.studyId,
      rank: studyRank.as("rank"),
      latest: sql<Date>`max(${analyses.createdAt})`.as("latest"),
      studyDate: sql<string | null>`max(${analyses.studyDate})`.as("study_date"),
    })
    .from(analyses)
    .where(and(inArray(analyses.studyId, matching), clinicalWork()))
    .groupBy(analyses.studyId)
    .having(filters.triage ? sql`${studyRank} = ${RANK_OF[filters.triage]}` : undefined);
}

/** The order the reader chose (most urgent first by default); ties: newest upload, then the study id. */
function pageOrder(f: ParsedWorklistFilters, t: { rank: SQL.Aliased<number>; latest: SQL.Aliased<Date>; studyDate: SQL.Aliased<string | null>; studyId: unknown }): SQL[] {
  const by = (e: SQL.Aliased<unknown>, newestFirst: boolean) => (newestFirst ? sql`${e} desc nulls last` : sql`${e} asc nulls last`);
  const down = f.dir === "desc";
  const tail = [sql`${t.latest} desc`, sql`${t.studyId} desc`];
  if (f.sort === "received") return [by(t.latest, down), sql`${t.studyId} desc`];
  // Study dates are DICOM dates (YYYYMMDD), which sort as text; films without one come last either way.
  if (f.sort === "study_date") return [by(t.studyDate, down), ...tail];
  // Rank 0 is the most urgent: "descending urgency" is ascending rank.
  return [down ? sql`${t.rank} asc` : sql`${t.rank} desc`, ...tail];
}

/** One row per study (its images grouped by Study Instance UID), in the reader's order (most urgent first by default). */
export async function queryWorklist(filters: ParsedWorklistFilters): Promise<WorklistPage> {
  const thresholds = await getTriageThresholds();
  const filtered = studyGroups(filters, thresholds).as("filtered");
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(filtered);
  // Counts per level under every filter except the level itself: the chips that switch between levels.
  const all = studyGroups({ ...filters, triage: undefined }, thresholds).as("all_levels");
  const levelCounts = await db.select({ rank: all.rank, n: sql<number>`count(*)::int` }).from(all).groupBy(all.rank);
  const counts = Object.fromEntries(levelCounts.map((c) => [LEVEL_OF_RANK[c.rank] ?? "processing", c.n])) as WorklistPage["counts"];
  const page = await db
    .select({ studyId: filtered.studyId, rank: filtered.rank, latest: filtered.latest })
    .from(filtered)
    .orderBy(...pageOrder(filters, filtered))
    .limit(filters.pageSize)
    .offset((filters.page - 1) * filters.pageSize);

  const studyIds = page.map((p) => p.studyId);
  const images = studyIds.length
    ? await db
        .select({ a: analyses, uploaderName: users.name, uploaderEmail: users.email })
        .from(analyses)
        .leftJoin(users, eq(users.id, analyses.uploadedBy))
        .where(and(inArray(analyses.studyId, studyIds), clinicalWork()))
        .orderBy(asc(analyses.createdAt), asc(analyses.id))
    : [];
  const primaries = page.map((p) => {
    const own = images.filter((i) => i.a.studyId === p.studyId);
    const primary = primaryImage(own.map((i) => ({ ...i, analysisId: i.a.id, triageLevel: i.a.triageLevel, createdAt: i.a.createdAt })))!;
    return { group: p, own, primary };
  });
  const ids = primaries.map((p) => p.primary.a.id);
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

  const places = await queuePlaces(primaries.filter((p) => p.primary.a.status === "queued").map((p) => p.primary.a.id));
  const rows: WorklistRow[] = primaries.map(({ group, own, primary }) => {
    const { a, uploaderName, uploaderEmail } = primary;
    const scores = findingRows.filter((f) => f.analysisId === a.id);
    const triage = evaluateTriage({ status: a.status, warnings: a.warnings, findings: scores.map(triageFinding), thresholds });
    // Only assessed findings are ever called (lib/triage/rules.ts isCalled), so each has its score.
    const called = triage.calledLabels.map((label) => ({ label, calibrated: scores.find((f) => f.label === label)!.calibrated ?? 0 }));
    const views = [...new Set(own.map((i) => i.a.viewPosition).filter((v): v is string => !!v))];
    return {
      id: a.id,
      studyId: group.studyId,
      imageCount: own.length,
      views,
      createdAt: new Date(group.latest).toISOString(),
      fileName: a.fileName,
      accessionNumber: a.accessionNumber ?? own.find((i) => i.a.accessionNumber)?.a.accessionNumber ?? null,
      studyDate: a.studyDate,
      viewPosition: a.viewPosition,
      modality: a.modality,
      status: a.status,
      queuePosition: places.get(a.id) ?? null,
      triageLevel: LEVEL_OF_RANK[group.rank] ?? null,
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
    .innerJoin(analyses, and(eq(analyses.uploadedBy, users.id), clinicalWork()));
  const labels = await storedLabelOrder();
  return {
    uploaders: uploaders.map((u) => ({ id: u.id, name: u.name || u.email })).sort((a, b) => a.name.localeCompare(b.name)),
    labels,
  };
}
