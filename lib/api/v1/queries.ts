import "server-only";
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { Uuid } from "@/lib/core/uuid-param";
import { boundedInstant } from "@/lib/core/bounded-input";
import { AppError } from "@/lib/core/errors";
import { analysisFilterConditions } from "@/lib/analyses/list-filters";
import { visibleAnalyses } from "@/lib/analyses/visibility";
import { queuePlaces } from "@/lib/queue/depth";
import type { Principal } from "@/lib/auth/principal";
import { db, preparedOnce } from "@/lib/db/client";
import { analyses, findings, images } from "@/lib/db/schema";
import { getPriors, getStudy } from "@/lib/studies/queries";
import type { AnalysisListQuery, V1Analysis, V1AnalysisDetail, V1Study } from "./schemas";

// Reads for the v1 API, shaped as the v1 schemas. Every read takes the acting principal and adds the
// foundation's visibility rule (lib/analyses/visibility): another record is a 404, never a 403 that would
// confirm it exists. (v1 routes also admit staff-owned keys only.)

type AnalysisRow = typeof analyses.$inferSelect;
type ImageRow = Pick<typeof images.$inferSelect, "sha256" | "format" | "width" | "height" | "byteSize"> &
  Partial<Pick<typeof images.$inferSelect, "originalRemovedAt" | "renderingsRemovedAt">>;
type FindingOut = V1Analysis["findings"][number];

const delayed = (a: AnalysisRow) => a.status === "queued" && a.errorCode === "delayed";

/** One analysis as v1 shows it, from its row, its image's row, its findings (in order) and its queue place. */
function toV1Analysis(a: AnalysisRow, image: ImageRow, found: FindingOut[], place: number | null): V1Analysis {
  return {
    id: a.id,
    status: a.status,
    // A retried attempt's reason is kept on the row for when it fails for good; until then it is no
    // answer, except `delayed`: still queued, but waiting out an outage on our side (docs/storage-and-queue.md).
    error: a.status === "failed" || delayed(a) ? a.error : null,
    errorCode: a.status === "failed" ? (a.errorCode ?? "analysis_failed") : delayed(a) ? "delayed" : null,
    queuePosition: place,
    fileName: a.fileName,
    createdAt: a.createdAt.toISOString(),
    image: {
      sha256: image.sha256,
      format: image.format,
      width: image.width,
      height: image.height,
      byteSize: image.byteSize,
      originalRemovedAt: image.originalRemovedAt?.toISOString() ?? null,
      renderingsRemovedAt: image.renderingsRemovedAt?.toISOString() ?? null,
    },
    study: {
      id: a.studyId,
      modality: a.modality,
      viewPosition: a.viewPosition,
      accessionNumber: a.accessionNumber,
      studyInstanceUid: a.studyInstanceUid,
      studyDate: a.studyDate,
    },
    model: a.modelName ? { name: a.modelName, version: a.modelVersion ?? "", trained: a.modelTrained ?? false, precision: a.modelPrecision === "int8" ? "int8" : "fp32" } : null,
    triageLevel: a.triageLevel,
    reviewStatus: a.reviewStatus,
    warnings: a.warnings,
    timings: a.timings,
    findings: found.map((f) => ({ label: f.label, assessed: f.assessed, probability: f.probability, calibrated: f.calibrated, positive: f.positive, logit: f.logit })),
  };
}

// An analysis's findings in the statement that reads the analysis: one round trip instead of two for
// every answer that carries analyses. Numbers cross as JSON in PostgreSQL's shortest exact text for a
// double, which parses to the same double as the column's own text.
const findingsOfRow = sql<FindingOut[]>`(select coalesce(json_agg(json_build_object(
  'label', ${findings.label}, 'assessed', ${findings.calibrated} is not null,
  'probability', case when ${findings.calibrated} is null then null else ${findings.probability} end, 'calibrated', ${findings.calibrated},
  'positive', ${findings.positive}, 'logit', case when ${findings.calibrated} is null then null else ${findings.logit} end) order by ${findings.position}), '[]'::json)
  from ${findings} where ${findings.analysisId} = ${analyses.id})`;

// Every answer that carries analyses reads them with this statement: built once (lib/db/client.ts),
// with the ids as one array parameter, whatever their number.
const analysesByIds = preparedOnce((d) =>
  d
    .select({ a: analyses, image: images, found: findingsOfRow })
    .from(analyses)
    .innerJoin(images, eq(images.sha256, analyses.imageSha256))
    .where(sql`${analyses.id} = any(${sql.placeholder("ids")}::uuid[])`)
    .prepare("v1_analyses_by_ids"),
);

/** Full v1 representations for `ids`, in the order given. */
export async function loadV1Analyses(ids: string[]): Promise<V1Analysis[]> {
  if (ids.length === 0) return [];
  const rows = await analysesByIds().execute({ ids });
  const queued = rows.filter((r) => r.a.status === "queued").map((r) => r.a.id);
  const places = queued.length ? await queuePlaces(queued) : new Map<string, number>();
  const byId = new Map(rows.map((r) => [r.a.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [toV1Analysis(r.a, r.image, r.found, places.get(id) ?? null)] : [];
  });
}

/**
 * The v1 representations of analyses just accepted, from the rows the upload wrote (lib/analyses/
 * accept-upload.ts), with only their places in the queue read: what loadV1Analyses answers for them
 * while they wait (queued, no findings yet). Null when one has left the queue already: then only
 * reading them tells what they are now.
 */
export async function acceptedV1Analyses(created: { analysis: AnalysisRow; image: ImageRow }[]): Promise<V1Analysis[] | null> {
  const places = await queuePlaces(created.map((w) => w.analysis.id));
  if (created.some((w) => !places.has(w.analysis.id))) return null;
  return created.map((w) => toV1Analysis(w.analysis, w.image, [], places.get(w.analysis.id)!));
}

async function v1Priors(actor: Principal, studyId: string): Promise<V1AnalysisDetail["priors"]> {
  return (await getPriors(actor, studyId)).map((p) => ({ studyId: p.studyId, studyDate: p.studyDate, triageLevel: p.triageLevel, analysisIds: p.analysisIds }));
}

export async function getV1Analysis(actor: Principal, id: string): Promise<V1AnalysisDetail> {
  const where = and(eq(analyses.id, id), visibleAnalyses(actor));
  const [row] = await db.select({ id: analyses.id }).from(analyses).where(where).limit(1);
  const [analysis] = row ? await loadV1Analyses([row.id]) : [];
  if (!analysis) throw new AppError("not_found", "No such analysis.");
  return { ...analysis, priors: await v1Priors(actor, analysis.study.id) };
}

export async function getV1Study(actor: Principal, id: string): Promise<V1Study> {
  const study = await getStudy(actor, id);
  return {
    id: study.id,
    studyInstanceUid: study.studyInstanceUid,
    studyDate: study.studyDate,
    triageLevel: study.triageLevel,
    analyses: await loadV1Analyses(study.images.map((i) => i.analysisId)),
    priors: await v1Priors(actor, study.id),
  };
}

// The cursor carries the last row's created_at at full (microsecond) precision plus its id, so that
// rows created in the same millisecond are neither skipped nor repeated.
function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString("base64url");
}

// A cursor is whatever the client sends back, so it is checked as strictly as any other input: an
// instant the database accepts and a well-formed id, or a 400.
const CursorValue = z.tuple([z.iso.datetime({ precision: 6 }).pipe(boundedInstant()), Uuid]);

function decodeCursor(cursor: string): [string, string] {
  let v: unknown = null;
  try {
    v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    // not JSON: refused below
  }
  const parsed = CursorValue.safeParse(v);
  if (parsed.success) return parsed.data;
  throw new AppError("validation_failed", "cursor: not a cursor this API returned.");
}

export async function listV1Analyses(actor: Principal, q: AnalysisListQuery) {
  const conditions: (SQL | undefined)[] = [
    visibleAnalyses(actor),
    ...analysisFilterConditions({
      status: q.status,
      triageLevel: q.triageLevel,
      reviewStatus: q.reviewStatus,
      createdFrom: q.createdAfter,
      createdBefore: q.createdBefore,
      finding: q.positive ? { label: q.positive, storedPositive: true } : undefined,
    }),
  ];
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor);
    conditions.push(sql`(${analyses.createdAt}, ${analyses.id}) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await db
    .select({ id: analyses.id, at: sql<string>`to_char(${analyses.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` })
    .from(analyses)
    .where(and(...conditions))
    .orderBy(desc(analyses.createdAt), desc(analyses.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: await loadV1Analyses(page.map((r) => r.id)),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.at, last.id) : null,
  };
}
