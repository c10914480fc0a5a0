import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { analyses, analysisCams, findings } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { isImagingError, renderDisplayImages, type DicomMetadata } from "@/lib/imaging";
import { ModelError } from "@/lib/inference";
import { getModel } from "@/lib/inference/registry";
import { errorSummary, logger } from "@/lib/log";
import { observeAnalysisTimings } from "@/lib/metrics";
import { addDelivery, deliveryEngine } from "@/lib/pacs/delivery-jobs";
import { inferBatch, prepareImage, type ModelVerdict, type PreparedImage } from "@/lib/pipeline/analyze-image";
import { getStored, hasStored, putStored } from "@/lib/storage/content-store";
import { triageOf } from "@/lib/triage/apply";
import { getTriageThresholds } from "@/lib/triage/thresholds";
import { announceFinished } from "./completion";

// The worker's half of an analysis: queued row + stored original -> decode -> one model batch for the
// whole claim -> renderings -> one transaction for the results. Safe to run again for the same analysis
// (a worker that died, a lease that lapsed): a finished analysis is never written twice.

/** What became of one analysis of a batch. */
export type RunOutcome =
  /** Results stored now, or already stored by an earlier attempt. */
  | { kind: "done" }
  /** The file itself cannot be analysed (corrupt, unsupported): the analysis is `failed` for good. */
  | { kind: "rejected"; code: string; message: string }
  /** Our side failed (storage, model, database): the job is retried, up to its attempt limit. */
  | { kind: "retry"; code: string; message: string };

interface Claimed {
  id: string;
  sha256: string;
  fileName: string;
  createdAt: Date;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Marks the batch as taken by this worker; returns those still to analyse (not already finished). */
async function claim(ids: string[], workerId: string): Promise<Claimed[]> {
  return db
    .update(analyses)
    .set({ status: "processing", startedAt: sql`now()`, attempts: sql`${analyses.attempts} + 1`, workerId })
    .where(and(inArray(analyses.id, ids), inArray(analyses.status, ["queued", "processing"])))
    .returning({ id: analyses.id, sha256: analyses.imageSha256, fileName: analyses.fileName, createdAt: analyses.createdAt });
}

/** Ends an analysis as `failed` with a typed reason (unless it already finished). */
export async function markFailed(id: string, code: string, message: string): Promise<void> {
  const updated = await db
    .update(analyses)
    .set({ status: "failed", errorCode: code, error: message, completedAt: sql`now()`, triageLevel: null })
    .where(and(eq(analyses.id, id), inArray(analyses.status, ["queued", "processing"])))
    .returning({ id: analyses.id });
  if (updated.length) await announceFinished([id]);
}

/** Puts an analysis back in the queue after a failed attempt, keeping the reason for when it fails for good. */
async function markRetrying(id: string, code: string, message: string): Promise<void> {
  await db
    .update(analyses)
    .set({ status: "queued", errorCode: code, error: message })
    .where(and(eq(analyses.id, id), eq(analyses.status, "processing")));
}

function serviceReason(error: unknown): { code: string; message: string } {
  if (error instanceof ModelError && (error.code === "MODEL_NOT_FOUND" || error.code === "MODEL_MANIFEST_INVALID")) {
    return { code: "model_unavailable", message: "No model is installed on this server. An administrator must run `npm run setup` (or `npm run model:demo`)." };
  }
  return { code: "analysis_error", message: "The analysis failed because of an error on our side." };
}

interface Ready {
  row: Claimed;
  /** When this attempt claimed it (epoch ms): queue wait before, processing time after. */
  claimedAt: number;
  bytes: Buffer;
  prepared: PreparedImage;
}

async function prepare(row: Claimed, claimedAt: number): Promise<Ready | RunOutcome> {
  const bytes = await getStored("original", row.sha256);
  if (!bytes) return { kind: "retry", code: "original_missing", message: "The uploaded file could not be read from storage." };
  try {
    return { row, claimedAt, bytes, prepared: await prepareImage(bytes, { fileName: row.fileName, qualityGates: env.QUALITY_GATES }) };
  } catch (error) {
    if (isImagingError(error)) return { kind: "rejected", code: error.code, message: error.message };
    throw error;
  }
}

/** Renders and stores the display image and thumbnail unless an earlier upload of the same file did. */
async function storeRenderings(sha256: string, prepared: PreparedImage): Promise<{ render: number; store: number }> {
  const missing: ("display" | "thumbnail")[] = [];
  for (const kind of ["display", "thumbnail"] as const) if (!(await hasStored(kind, sha256))) missing.push(kind);
  if (missing.length === 0) return { render: 0, store: 0 };
  const t0 = performance.now();
  const rendered = await renderDisplayImages(prepared.decoded);
  const t1 = performance.now();
  for (const kind of missing) await putStored(kind, sha256, kind === "display" ? rendered.full : rendered.thumbnail);
  return { render: round(t1 - t0), store: round(performance.now() - t1) };
}

/** Writes the results of a batch in one transaction; analyses another attempt already finished are left alone. */
async function storeResults(items: { ready: Ready; verdict: ModelVerdict; timings: Record<string, number> }[]): Promise<string[]> {
  if (items.length === 0) return [];
  const thresholds = await getTriageThresholds();
  const boss = await deliveryEngine();
  const done = await db.transaction(async (tx) => {
    const written: string[] = [];
    for (const { ready, verdict, timings } of items) {
      const { decoded, warnings: gateWarnings } = ready.prepared;
      const meta = decoded.metadata;
      const dicom = meta.kind === "dicom" ? (meta as DicomMetadata) : null;
      const warnings = gateWarnings.map((w) => ({ code: w.code, message: w.message, ...(w.reason ? { reason: w.reason } : {}) }));
      const triage = triageOf({ status: "completed", warnings }, verdict.findings, thresholds);
      const [row] = await tx
        .update(analyses)
        .set({
          status: "completed",
          error: null,
          errorCode: null,
          metadata: meta as unknown as Record<string, unknown>,
          modality: dicom?.modality ?? null,
          viewPosition: dicom?.viewPosition ?? null,
          accessionNumber: dicom?.accessionNumber ?? null,
          studyInstanceUid: dicom?.studyInstanceUid ?? null,
          studyDate: dicom?.studyDate ?? null,
          warnings,
          triageLevel: triage.level,
          modelName: verdict.model.name,
          modelVersion: verdict.model.version,
          modelTrained: verdict.model.trained,
          timings: { ...timings, total: round(Date.now() - ready.claimedAt) },
          completedAt: sql`now()`,
        })
        .where(and(eq(analyses.id, ready.row.id), inArray(analyses.status, ["queued", "processing"])))
        .returning({ id: analyses.id });
      if (!row) continue;
      written.push(row.id);
      await tx.insert(findings).values(
        verdict.findings.map((f, position) => ({
          analysisId: row.id,
          position,
          label: f.label,
          logit: f.logit,
          probability: f.probability,
          calibrated: f.calibrated,
          positive: f.positive,
        })),
      );
      await tx.insert(analysisCams).values({
        analysisId: row.id,
        shape: [...verdict.cam.shape],
        data: Array.from(verdict.cam.data, (v) => Math.round(v * 1e4) / 1e4),
      });
      // The result owed to the PACS (when configured) commits with the result itself.
      await addDelivery(boss, tx, row.id, 0);
    }
    return written;
  });
  await announceFinished(done);
  return done;
}

/**
 * Analyses a claimed batch: every analysis gets an outcome. Database trouble is thrown (the whole batch
 * is retried by the queue); a file that cannot be analysed ends `failed` at once, since trying it again
 * cannot help.
 */
export async function runAnalyses(ids: string[], workerId: string): Promise<Map<string, RunOutcome>> {
  const outcomes = new Map<string, RunOutcome>(ids.map((id) => [id, { kind: "done" }]));
  const claimed = await claim(ids, workerId);
  if (claimed.length === 0) return outcomes;
  const claimedAt = Date.now();

  const modelPromise = getModel();
  modelPromise.catch(() => undefined);
  const ready: Ready[] = [];
  for (const [i, result] of (await Promise.allSettled(claimed.map((row) => prepare(row, claimedAt)))).entries()) {
    const row = claimed[i];
    if (result.status === "rejected") {
      logger.error({ err: errorSummary(result.reason), analysisId: row.id }, "preparing an image failed");
      outcomes.set(row.id, { kind: "retry", ...serviceReason(result.reason) });
    } else if ("kind" in result.value) outcomes.set(row.id, result.value);
    else ready.push(result.value);
  }

  if (ready.length > 0) {
    try {
      const verdicts = await inferBatch(await modelPromise, ready.map((r) => r.prepared.input));
      const items: Parameters<typeof storeResults>[0] = [];
      for (const [i, r] of ready.entries()) {
        const unusable = verdicts[i].unusable;
        if (unusable) {
          outcomes.set(r.row.id, { kind: "rejected", code: "model_output_invalid", message: unusable.message });
          continue;
        }
        const files = await storeRenderings(r.row.sha256, r.prepared);
        items.push({
          ready: r,
          verdict: verdicts[i],
          timings: {
            decode: round(r.prepared.timings.decodeMs),
            preprocess: round(r.prepared.timings.preprocessMs),
            inference: round(verdicts[i].inferenceMs),
            ...files,
            queue: round(Math.max(0, claimedAt - r.row.createdAt.getTime())),
          },
        });
      }
      await storeResults(items);
      for (const item of items) observeAnalysisTimings(item.timings);
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      for (const r of ready) outcomes.set(r.row.id, { kind: "retry", ...serviceReason(error) });
    }
  }

  for (const [id, outcome] of outcomes) {
    if (outcome.kind === "rejected") await markFailed(id, outcome.code, outcome.message);
    else if (outcome.kind === "retry") await markRetrying(id, outcome.code, outcome.message);
  }
  return outcomes;
}
