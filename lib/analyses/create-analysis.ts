import "server-only";
import { eq } from "drizzle-orm";
import { analyzeImage, type AnalysisResult } from "@/lib/pipeline/analyze-image";
import { AppError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import { addDelivery } from "@/lib/pacs/delivery-queue";
import { kickDeliveryWorker } from "@/lib/pacs/delivery-worker";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { analyses, analysisCams, findings, images } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { renderDisplayImages, validateUpload, type DicomMetadata } from "@/lib/imaging";
import { ModelError } from "@/lib/inference";
import { errorSummary, logger } from "@/lib/log";
import { observeAnalysisTimings } from "@/lib/metrics";
import { assignStudy } from "@/lib/studies/assign";
import { patientLinkOfDicom } from "@/lib/studies/patient-link";
import { deleteStored, hasStored, putStored, sha256Hex, type StoredKind } from "@/lib/storage/content-store";
import { triageOf } from "@/lib/triage/apply";
import { getTriageThresholds } from "@/lib/triage/thresholds";

export interface CreateAnalysisInput {
  actor: Principal;
  fileName: string;
  bytes: Buffer;
  headers?: Headers;
}

/** Model problems are the service's, not the file's: say so plainly, without internals. */
function asServiceError(error: unknown): unknown {
  if (error instanceof ModelError && (error.code === "MODEL_NOT_FOUND" || error.code === "MODEL_MANIFEST_INVALID")) {
    return new AppError(
      "service_unavailable",
      "No model is installed on this server. An administrator must run `npm run setup` (or `npm run model:demo`).",
      { retryAfterSeconds: 300 },
    );
  }
  return error;
}

function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  return base.replace(/[\u0000-\u001f]/g, "").slice(0, 200) || "upload";
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * Writes the original and its renderings under the content hash, skipping those already stored (an
 * identical re-upload). Returns the kinds this call wrote, so a later failure can remove exactly those.
 */
async function storeFiles(sha256: string, bytes: Buffer, result: AnalysisResult, written: StoredKind[]): Promise<void> {
  const missing: ("original" | "display" | "thumbnail")[] = [];
  for (const kind of ["original", "display", "thumbnail"] as const) if (!(await hasStored(kind, sha256))) missing.push(kind);
  if (missing.length === 0) return;
  const rendered = missing.some((k) => k !== "original") ? await renderDisplayImages(result.decoded) : null;
  for (const kind of missing) {
    const data = kind === "original" ? bytes : kind === "display" ? rendered!.full : rendered!.thumbnail;
    await putStored(kind, sha256, data);
    written.push(kind);
  }
}

/**
 * Upload to stored result: validate -> decode -> quality gates -> preprocess -> infer -> calibrate ->
 * triage -> render display images -> store files -> one transaction for the rows (image, analysis,
 * findings, CAM). A failure at any step leaves no rows and no files that this call created; an
 * identical re-upload reuses the stored image and its renderings.
 */
export async function createAnalysis(input: CreateAnalysisInput): Promise<{ id: string }> {
  const { bytes, actor } = input;
  const t0 = performance.now();
  // Cheap checks (size, type, header, dimensions) before any decoding work or model load.
  await validateUpload(bytes, { maxBytes: env.MAX_UPLOAD_MB * 1024 * 1024 });
  const sha256 = sha256Hex(bytes);

  let result: AnalysisResult;
  try {
    result = await analyzeImage(bytes, { fileName: input.fileName, qualityGates: env.QUALITY_GATES });
  } catch (error) {
    throw asServiceError(error);
  }
  const { decoded } = result;
  const meta = decoded.metadata;
  const dicom = meta.kind === "dicom" ? (meta as DicomMetadata) : null;
  const warnings = result.warnings.map((w) => ({ code: w.code, message: w.message, ...(w.reason ? { reason: w.reason } : {}) }));
  // Triage is computed before the transaction: the embedded database has a single connection, so a
  // query outside the transaction while it is open would wait for it forever.
  const triage = triageOf({ status: "completed", warnings }, result.findings, await getTriageThresholds());
  const patientLink = dicom ? patientLinkOfDicom(bytes) : null;

  const written: StoredKind[] = [];
  let id: string;
  let reusedImage = false;
  let stageTimings: Record<string, number> = {};
  try {
    const t1 = performance.now();
    await storeFiles(sha256, bytes, result, written);
    reusedImage = written.length === 0;
    const t2 = performance.now();
    const timings = {
      decode: round(result.timings.decodeMs),
      preprocess: round(result.timings.preprocessMs),
      inference: round(result.timings.inferenceMs),
      render: round(t2 - t1),
    };
    id = await db.transaction(async (tx) => {
      await tx
        .insert(images)
        .values({ sha256, byteSize: bytes.length, format: decoded.format, width: decoded.width, height: decoded.height })
        .onConflictDoNothing();
      const studyId = await assignStudy(tx, {
        studyInstanceUid: dicom?.studyInstanceUid ?? null,
        studyDate: dicom?.studyDate ?? null,
        patientLink,
      });
      const [row] = await tx
        .insert(analyses)
        .values({
          uploadedBy: actor.userId,
          imageSha256: sha256,
          studyId,
          fileName: cleanFileName(input.fileName),
          status: "completed",
          metadata: meta as unknown as Record<string, unknown>,
          modality: dicom?.modality ?? null,
          viewPosition: dicom?.viewPosition ?? null,
          accessionNumber: dicom?.accessionNumber ?? null,
          studyInstanceUid: dicom?.studyInstanceUid ?? null,
          studyDate: dicom?.studyDate ?? null,
          warnings,
          triageLevel: triage.level,
          modelName: result.model.name,
          modelVersion: result.model.version,
          modelTrained: result.model.trained,
          timings,
        })
        .returning({ id: analyses.id });
      await tx.insert(findings).values(
        result.findings.map((f, position) => ({
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
        shape: [...result.cam.shape],
        data: Array.from(result.cam.data, (v) => Math.round(v * 1e4) / 1e4),
      });
      // Store time is known only at the end of the work it measures: written last, in the same transaction.
      stageTimings = { ...timings, store: round(performance.now() - t2), total: round(performance.now() - t0) };
      await tx.update(analyses).set({ timings: stageTimings }).where(eq(analyses.id, row.id));
      // Owed to the PACS with the analysis itself, so a crash cannot lose it (DICOM sources only).
      await addDelivery(tx, row.id, 0);
      return row.id;
    });
  } catch (error) {
    // Only files this call wrote go, and only when no stored image row points at them (a concurrent
    // identical upload may have committed meanwhile and now owns them).
    const [kept] = await db.select({ sha: images.sha256 }).from(images).where(eq(images.sha256, sha256)).limit(1).catch(() => []);
    if (!kept) await Promise.all(written.map((kind) => deleteStored(kind, sha256).catch(() => undefined)));
    if (error instanceof AppError || (error as { httpStatus?: number }).httpStatus) throw error;
    // Database errors quote the statement's parameters (file name, DICOM accession and UIDs): only
    // their kind and code reach the log, and the caller gets a plain message.
    logger.error({ err: errorSummary(error) }, "storing an analysis failed");
    throw new AppError("internal", "The analysis could not be stored. Please try again; if it keeps failing, tell an administrator.");
  }

  observeAnalysisTimings(stageTimings);
  await recordAudit({
    actor,
    action: "analysis.create",
    targetType: "analysis",
    targetId: id,
    details: { format: decoded.format, warnings: result.warnings.map((w) => w.code), reusedImage },
    headers: input.headers,
  });
  kickDeliveryWorker();
  return { id };
}
