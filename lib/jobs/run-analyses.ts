import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { analyses, analysisCams, findings } from "@/lib/db/schema";
import { float64Bytes } from "@/lib/db/schema/float64-array";
import { env } from "@/lib/env";
import type { DicomMetadata, ImageMetadata, QualityWarning } from "@/lib/imaging";
import { ModelError } from "@/lib/inference";
import { getModel } from "@/lib/inference/registry";
import { errorSummary, logger } from "@/lib/log";
import { observeAnalysisTimings } from "@/lib/metrics";
import { addDelivery, deliveryEngine } from "@/lib/pacs/delivery-jobs";
import { inferBatch, type ModelVerdict } from "@/lib/pipeline/analyze-image";
import { triageOf } from "@/lib/triage/apply";
import { getTriageThresholds } from "@/lib/triage/thresholds";
import { finishedNotice } from "@/lib/analyses/completion";
import { prepareInThread, returnInputs } from "@/lib/analyses/image-pool";
import type { RenderTimings } from "@/lib/analyses/image-work";
import { ANALYSIS_ATTEMPTS } from "@/lib/queue/boss";
import { checkViews } from "@/lib/analyses/view-check-step";
import { addAnatomy, anatomyEngine } from "@/lib/analyses/anatomy-jobs";

// The worker's half of an analysis: queued row + stored original -> decode -> one model batch for the
// whole claim, with the renderings made while it runs -> one statement for the results. The image work
// (decode, model input, renderings) runs in the image threads (image-pool.ts). Safe to run
// again for the same analysis (a worker that died, a lease that lapsed): a finished analysis is never
// written twice.

/** What became of one analysis of a batch. */
export type RunOutcome =
  /** Results stored now, or already stored by an earlier attempt. */
  | { kind: "done" }
  /** The file itself cannot be analysed (corrupt, unsupported): the analysis is `failed` for good. */
  | { kind: "rejected"; code: string; message: string }
  /**
   * Not done this time: the job is retried with backoff. `film`: the failure may be the film's (a decode
   * out of time, an image thread that died on it, the model failing on it), which counts as one of its
   * ANALYSIS_ATTEMPTS; otherwise (storage, database, no model installed) it counts for nothing.
   */
  | { kind: "retry"; code: string; message: string; film?: boolean };

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
    // Attempts are not counted here: a worker that dies with the claim is not the film's failure.
    .set({ status: "processing", startedAt: sql`now()`, workerId })
    .where(and(inArray(analyses.id, ids), inArray(analyses.status, ["queued", "processing"])))
    .returning({ id: analyses.id, sha256: analyses.imageSha256, fileName: analyses.fileName, createdAt: analyses.createdAt });
}

/** Ends an analysis as `failed` with a typed reason (unless it already finished), telling whoever waits for it. */
export async function markFailed(id: string, code: string, message: string): Promise<void> {
  await db
    .update(analyses)
    .set({ status: "failed", errorCode: code, error: message, completedAt: sql`now()`, triageLevel: null })
    .where(and(eq(analyses.id, id), inArray(analyses.status, ["queued", "processing"])))
    // Evaluated for the updated row only: a failure that was already recorded notifies no one again.
    .returning({ notified: finishedNotice(analyses.id) });
}

/** Puts an analysis back in the queue after a failed try, keeping the reason for when it fails for good. */
async function markRetrying(id: string, code: string, message: string): Promise<void> {
  await db
    .update(analyses)
    .set({ status: "queued", errorCode: code, error: message })
    .where(and(eq(analyses.id, id), eq(analyses.status, "processing")));
}

/**
 * Counts a failure that may be the film's: back in the queue while attempts remain, else `failed` for
 * good. Returns whether the analysis failed.
 */
async function countFilmAttempt(id: string, code: string, message: string): Promise<boolean> {
  const [row] = await db
    .update(analyses)
    .set({ status: "queued", errorCode: code, error: message, attempts: sql`${analyses.attempts} + 1` })
    .where(and(eq(analyses.id, id), eq(analyses.status, "processing")))
    .returning({ attempts: analyses.attempts });
  if (!row || row.attempts < ANALYSIS_ATTEMPTS) return false;
  logger.warn({ analysisId: id, code, attempts: row.attempts }, "analysis failed on its film every attempt");
  // Codes that say what is wrong with this upload are kept; the rest become analysis_failed.
  const kept = code === "decode_timeout" || code === "original_missing";
  await markFailed(id, kept ? code : "analysis_failed", `This image could not be analysed: ${ANALYSIS_ATTEMPTS} attempts failed on it. ${message}`);
  return true;
}

/** A failure on our side that the film may have caused (an image thread that died, the model failing). */
function filmReason(error: unknown): { code: string; message: string; film: boolean } {
  if (error instanceof ModelError && (error.code === "MODEL_NOT_FOUND" || error.code === "MODEL_MANIFEST_INVALID")) {
    return { code: "model_unavailable", message: "No model is installed on this server. An administrator must run `npm run setup` (or `npm run model:demo`).", film: false };
  }
  return { code: "analysis_error", message: "The analysis failed because of an error on our side.", film: true };
}

/** A failure of our storage (writing the renderings): never the film's. */
function storageReason(): { code: string; message: string; film: boolean } {
  return { code: "storage_unavailable", message: "The storage could not be written; the analysis will be retried.", film: false };
}

interface Ready {
  row: Claimed;
  /** When this attempt claimed it (epoch ms): queue wait before, processing time after. */
  claimedAt: number;
  metadata: ImageMetadata;
  warnings: QualityWarning[];
  decodeMs: number;
  preprocessMs: number;
}

/**
 * A prepared image, its exact model input (needed until the model has it) and the storing of its
 * renderings (made in the image thread that holds their source).
 */
type Prepared = { ready: Ready; input: Float32Array; storeRenderings: () => Promise<RenderTimings> };

async function prepare(row: Claimed, claimedAt: number, inputSize: number | undefined): Promise<Prepared | RunOutcome> {
  const prepared = await prepareInThread({ sha256: row.sha256, fileName: row.fileName, qualityGates: env.QUALITY_GATES, inputSize });
  if ("kind" in prepared) return prepared;
  const ready = { row, claimedAt, metadata: prepared.metadata, warnings: prepared.warnings, decodeMs: prepared.decodeMs, preprocessMs: prepared.preprocessMs };
  return { ready, input: prepared.input, storeRenderings: prepared.storeRenderings };
}

interface Finished {
  ready: Ready;
  verdict: ModelVerdict;
  timings: Record<string, number>;
}

const rowsOf = (result: unknown): { id: string }[] => (Array.isArray(result) ? result : (result as { rows: { id: string }[] }).rows);

/**
 * Writes the results of a batch in one statement: the analyses, their findings and CAMs, each from one
 * JSON parameter. Analyses another attempt already finished are left alone (and get no second findings).
 * The statement also notifies the requests waiting for them (lib/analyses/completion.ts), delivered on
 * commit. Deliveries to the PACS, when one is configured, commit in the same transaction.
 */
async function storeResults(items: Finished[]): Promise<string[]> {
  if (items.length === 0) return [];
  const thresholds = await getTriageThresholds();
  const boss = await deliveryEngine();
  const anatomyBoss = await anatomyEngine();
  const results = items.map(({ ready, verdict, timings }) => {
    const meta = ready.metadata;
    const dicom = meta.kind === "dicom" ? (meta as DicomMetadata) : null;
    const warnings = ready.warnings.map((w) => ({ code: w.code, message: w.message, ...(w.reason ? { reason: w.reason } : {}) }));
    return {
      id: ready.row.id,
      metadata: meta,
      modality: dicom?.modality ?? null,
      view_position: dicom?.viewPosition ?? null,
      accession_number: dicom?.accessionNumber ?? null,
      study_instance_uid: dicom?.studyInstanceUid ?? null,
      study_date: dicom?.studyDate ?? null,
      warnings,
      triage_level: triageOf({ status: "completed", warnings }, verdict.findings, thresholds).level,
      model_name: verdict.model.name,
      model_version: verdict.model.version,
      model_trained: verdict.model.trained,
      model_precision: verdict.model.precision,
      timings: { ...timings, total: round(Date.now() - ready.claimedAt) },
    };
  });
  const findingRows = items.flatMap(({ ready, verdict }) =>
    verdict.findings.map((f, position) => ({
      analysis_id: ready.row.id,
      position,
      label: f.label,
      logit: f.logit,
      probability: f.probability,
      calibrated: f.calibrated,
      positive: f.positive,
    })),
  );
  // The CAM's float64 bytes (float64Array column), base64 in the JSON parameter.
  const camRows = items.map(({ ready, verdict }) => ({
    analysis_id: ready.row.id,
    shape: [...verdict.cam.shape],
    data: float64Bytes(Array.from(verdict.cam.data, (v) => Math.round(v * 1e4) / 1e4)).toString("base64"),
  }));
  const write = sql`
    with v as (
      select * from jsonb_to_recordset(${JSON.stringify(results)}::jsonb) as v(
        id uuid, metadata jsonb, modality text, view_position text, accession_number text, study_instance_uid text,
        study_date text, warnings jsonb, triage_level triage_level, model_name text, model_version text,
        model_trained boolean, model_precision text, timings jsonb)
    ), done as (
      update ${analyses} a set
        status = 'completed', error = null, error_code = null, metadata = v.metadata, modality = v.modality,
        view_position = v.view_position, accession_number = v.accession_number,
        study_instance_uid = v.study_instance_uid, study_date = v.study_date, warnings = v.warnings,
        triage_level = v.triage_level, model_name = v.model_name, model_version = v.model_version,
        model_trained = v.model_trained, model_precision = v.model_precision, timings = v.timings, completed_at = now()
      from v where a.id = v.id and a.status in ('queued', 'processing')
      returning a.id
    ), f as (
      insert into ${findings} (analysis_id, "position", label, logit, probability, calibrated, positive)
      select x.* from jsonb_to_recordset(${JSON.stringify(findingRows)}::jsonb) as x(
        analysis_id uuid, "position" integer, label text, logit double precision, probability double precision,
        calibrated double precision, positive boolean)
      where x.analysis_id in (select id from done)
    ), c as (
      insert into ${analysisCams} (analysis_id, shape, data)
      select x.analysis_id, x.shape, decode(x.data, 'base64')
      from jsonb_to_recordset(${JSON.stringify(camRows)}::jsonb) as x(analysis_id uuid, shape jsonb, data text)
      where x.analysis_id in (select id from done)
    )
    select id, ${finishedNotice(sql`id`)} from done`;
  const warningsOf = new Map(results.map((r) => [r.id, r.warnings]));
  const done =
    boss || anatomyBoss
    ? await db.transaction(async (tx) => {
        const written = rowsOf(await tx.execute(write)).map((r) => r.id);
        // The result owed to the PACS (when configured) commits with the result itself, and so does
        // the segmentation job of a frontal film (when anatomy is on).
        for (const id of written) await addDelivery(boss, tx, id, 0);
        for (const id of written) await addAnatomy(anatomyBoss, tx, id, warningsOf.get(id) ?? []);
        return written;
      })
    : rowsOf(await db.execute(write)).map((r) => r.id);
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
  // The model input is made at the classifier's own size (224 or 512). A model that fails to load is
  // reported by the inference step below; the images are still prepared (at the default size) meanwhile.
  const inputSize = await modelPromise.then(
    (m) => m.manifest.input.size,
    () => undefined,
  );
  const prepared: Prepared[] = [];
  for (const [i, result] of (await Promise.allSettled(claimed.map((row) => prepare(row, claimedAt, inputSize)))).entries()) {
    const row = claimed[i];
    if (result.status === "rejected") {
      logger.error({ err: errorSummary(result.reason), analysisId: row.id }, "preparing an image failed");
      outcomes.set(row.id, { kind: "retry", ...filmReason(result.reason) });
    } else if ("kind" in result.value) outcomes.set(row.id, result.value);
    else prepared.push(result.value);
  }
  if (prepared.length === 0) return settle(outcomes);

  // The batch goes to the model first; the renderings are made while it runs (in the image threads and
  // libvips's), and each image's display levels are let go once they are stored, so they do not outlive
  // the batch.
  // The inputs are taken now: `prepared` is emptied below, possibly before a model still loading runs.
  const inputs = prepared.map((p) => p.input);
  const inference = modelPromise.then((model) => inferBatch(model, inputs));
  inference.catch(() => undefined);
  const rendered = await Promise.allSettled(prepared.map((p) => p.storeRenderings()));
  const ready = prepared.map((p) => p.ready);
  prepared.length = 0;

  let verdicts: ModelVerdict[];
  try {
    verdicts = await inference;
    // The view check reads the same inputs; a lateral gets the gate's warning before anything is stored.
    const views = await checkViews(ready.map((r, i) => ({ input: inputs[i], metadata: r.metadata, warnings: r.warnings })));
    views.forEach((w, i) => w && (ready[i].warnings = [...ready[i].warnings, w]));
    // The models have copied them into their batches: the inputs' buffers can serve the next decodes.
    returnInputs(inputs);
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
    for (const r of ready) outcomes.set(r.row.id, { kind: "retry", ...filmReason(error) });
    return settle(outcomes);
  }
  const items: Finished[] = [];
  for (const [i, r] of ready.entries()) {
    const files = rendered[i];
    const unusable = verdicts[i].unusable;
    if (unusable) {
      outcomes.set(r.row.id, { kind: "rejected", code: "model_output_invalid", message: unusable.message });
    } else if (files.status === "rejected") {
      logger.error({ err: errorSummary(files.reason), analysisId: r.row.id }, "storing the renderings failed");
      outcomes.set(r.row.id, { kind: "retry", ...storageReason() });
    } else {
      items.push({
        ready: r,
        verdict: verdicts[i],
        timings: {
          decode: round(r.decodeMs),
          preprocess: round(r.preprocessMs),
          inference: round(verdicts[i].inferenceMs),
          ...files.value,
          queue: round(Math.max(0, claimedAt - r.row.createdAt.getTime())),
        },
      });
    }
  }
  // Observed before the write: its commit answers the waiting request (through its notification),
  // which may then look for these figures in the metrics.
  for (const item of items) observeAnalysisTimings(item.timings);
  await storeResults(items);
  return settle(outcomes);
}

/**
 * Ends the analyses that cannot be completed now: failed for good, or back in the queue (a failure that
 * may be the film's counting one attempt, the last of which fails it: its job then ends too).
 */
async function settle(outcomes: Map<string, RunOutcome>): Promise<Map<string, RunOutcome>> {
  for (const [id, outcome] of outcomes) {
    if (outcome.kind === "rejected") await markFailed(id, outcome.code, outcome.message);
    else if (outcome.kind === "retry" && outcome.film) {
      if (await countFilmAttempt(id, outcome.code, outcome.message)) outcomes.set(id, { kind: "rejected", code: outcome.code, message: outcome.message });
    } else if (outcome.kind === "retry") await markRetrying(id, outcome.code, outcome.message);
  }
  return outcomes;
}
