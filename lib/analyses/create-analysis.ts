import "server-only";
import { eq } from "drizzle-orm";
import { analyzeImage } from "@/lib/analysis/analyze-image";
import { AppError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { analyses, analysisCams, findings, images } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { renderDisplayImages, validateUpload, type DicomMetadata } from "@/lib/imaging";
import { ModelError } from "@/lib/inference";
import { logger } from "@/lib/log";
import { deleteStored, hasStored, putStored, sha256Hex, type StoredKind } from "@/lib/storage/content-store";
import { applyTriage } from "@/lib/triage/apply";

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

/**
 * Upload to stored result: validate -> decode -> quality gates -> preprocess -> infer -> calibrate ->
 * render display images -> store files -> one transaction for rows (image, analysis, findings, CAM,
 * triage). A failure at any step leaves no rows and no files that this call created; an identical
 * re-upload reuses the stored image and its renderings.
 */
export async function createAnalysis(input: CreateAnalysisInput): Promise<{ id: string }> {
  const { bytes, actor } = input;
  const t0 = performance.now();
  validateUpload(bytes, { maxBytes: env.MAX_UPLOAD_MB * 1024 * 1024 });
  const sha256 = sha256Hex(bytes);

  let result: Awaited<ReturnType<typeof analyzeImage>>;
  try {
    result = await analyzeImage(bytes, { fileName: input.fileName, qualityGates: env.QUALITY_GATES });
  } catch (error) {
    throw asServiceError(error);
  }
  const { decoded } = result;

  const t1 = performance.now();
  const written: StoredKind[] = [];
  const [existing] = await db.select({ sha: images.sha256 }).from(images).where(eq(images.sha256, sha256)).limit(1);
  const needsRender = !existing || !(await hasStored("display", sha256)) || !(await hasStored("thumbnail", sha256));
  if (needsRender) {
    const rendered = await renderDisplayImages(decoded);
    for (const [kind, data] of [
      ["original", bytes],
      ["display", rendered.full],
      ["thumbnail", rendered.thumbnail],
    ] as const) {
      if (!(await hasStored(kind, sha256))) {
        await putStored(kind, sha256, data);
        written.push(kind);
      }
    }
  }
  const renderMs = performance.now() - t1;

  const meta = decoded.metadata;
  const dicom = meta.kind === "dicom" ? (meta as DicomMetadata) : null;
  const t2 = performance.now();
  try {
    const id = await db.transaction(async (tx) => {
      await tx
        .insert(images)
        .values({ sha256, byteSize: bytes.length, format: decoded.format, width: decoded.width, height: decoded.height })
        .onConflictDoNothing();
      const [row] = await tx
        .insert(analyses)
        .values({
          uploadedBy: actor.userId,
          imageSha256: sha256,
          fileName: cleanFileName(input.fileName),
          status: "completed",
          metadata: meta as unknown as Record<string, unknown>,
          modality: dicom?.modality ?? null,
          viewPosition: dicom?.viewPosition ?? null,
          accessionNumber: dicom?.accessionNumber ?? null,
          studyInstanceUid: dicom?.studyInstanceUid ?? null,
          studyDate: dicom?.studyDate ?? null,
          warnings: result.warnings.map((w) => ({ code: w.code, message: w.message })),
          modelName: result.model.name,
          modelVersion: result.model.version,
          modelTrained: result.model.trained,
          timings: {
            decode: round(result.timings.decodeMs),
            preprocess: round(result.timings.preprocessMs),
            inference: round(result.timings.inferenceMs),
            render: round(renderMs),
          },
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
      await applyTriage(row.id, tx);
      return row.id;
    });
    const storeMs = performance.now() - t2;
    await db
      .update(analyses)
      .set({ timings: { decode: round(result.timings.decodeMs), preprocess: round(result.timings.preprocessMs), inference: round(result.timings.inferenceMs), render: round(renderMs), store: round(storeMs), total: round(performance.now() - t0) } })
      .where(eq(analyses.id, id));
    await recordAudit({
      actor,
      action: "analysis.create",
      targetType: "analysis",
      targetId: id,
      details: { format: decoded.format, warnings: result.warnings.map((w) => w.code), reusedImage: Boolean(existing) },
      headers: input.headers,
    });
    return { id };
  } catch (error) {
    // Only files this call created go, and only when no stored image row points at them.
    const [kept] = await db.select({ sha: images.sha256 }).from(images).where(eq(images.sha256, sha256)).limit(1);
    if (!kept) await Promise.all(written.map((kind) => deleteStored(kind, sha256)));
    logger.error({ err: error }, "storing an analysis failed");
    throw error;
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
