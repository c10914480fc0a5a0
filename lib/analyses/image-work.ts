import "server-only";
import { isImagingError, renderDisplayImages, returnPixelBuffer, type DisplayImageSource, type ImageMetadata, type QualityGateMode, type QualityWarning } from "@/lib/imaging";
import { prepareImage } from "@/lib/pipeline/analyze-image";
import { errorSummary, logger } from "@/lib/log";
import { getStored, hasStored, putStored, storageKey } from "@/lib/storage/content-store";

// An analysis's image work, run inside an image thread (image-worker.mjs, started by image-pool.ts):
// the stored original is read, decoded with its quality gates and made into the model input here, and
// the renderings are made from what stays in this thread and stored from it. Only the model input
// (transferred), the metadata and the timings go back to the worker's main thread.

export interface PrepareRequest {
  sha256: string;
  fileName: string;
  qualityGates: QualityGateMode;
  /** Side of the classifier's square input (224 for the DenseNet, 512 for the ResNet-50); 224 if absent. */
  inputSize?: number;
}

export type PrepareReply =
  | { kind: "prepared"; metadata: ImageMetadata; warnings: QualityWarning[]; decodeMs: number; preprocessMs: number; input: Float32Array }
  /** The file itself cannot be analysed: the ImagingError's code and message. */
  | { kind: "rejected"; code: string; message: string }
  /** Not this time; `film`: the failure may be the film's and counts as one of its attempts. */
  | { kind: "retry"; code: string; message: string; film?: boolean };

export interface RenderTimings {
  render: number;
  store: number;
}

/** What each prepared image's renderings are made from, until they are stored (or discarded). */
const sources = new Map<number, DisplayImageSource>();

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * The stored original: a storage that cannot be read now is retried (not the film's failure); an
 * original that is gone (deleted from the storage) fails the analysis as `original_missing` once its
 * attempts are spent.
 */
async function readOriginal(sha256: string): Promise<Buffer | PrepareReply> {
  let bytes: Buffer | null;
  try {
    bytes = await getStored("original", sha256);
  } catch (error) {
    logger.warn({ err: errorSummary(error), sha256 }, "reading an original from the storage failed; the analysis will be retried");
    return { kind: "retry", code: "storage_unavailable", message: "The uploaded file could not be read from storage just now; the analysis will be retried.", film: false };
  }
  if (bytes) return bytes;
  // Counted as an attempt, not failed at once: a storage volume mounted late looks the same for a moment.
  logger.error({ sha256, key: storageKey("original", sha256) }, "the original of a queued analysis is missing from the storage");
  return {
    kind: "retry",
    code: "original_missing",
    message: "The uploaded file is no longer in the storage (it was removed before it could be analysed). Upload it again.",
    film: true,
  };
}

export async function prepareStored(handle: number, request: PrepareRequest): Promise<PrepareReply> {
  const bytes = await readOriginal(request.sha256);
  if (!Buffer.isBuffer(bytes)) return bytes;
  try {
    const { decoded, warnings, input, timings } = await prepareImage(bytes, { fileName: request.fileName, qualityGates: request.qualityGates, inputSize: request.inputSize });
    // The model input is made: the model-scale pixels go back for the next decode to fill, and only
    // what the renderings need is kept.
    returnPixelBuffer(decoded.pixels);
    sources.set(handle, { width: decoded.width, height: decoded.height, display: decoded.display });
    return { kind: "prepared", metadata: decoded.metadata, warnings, decodeMs: timings.decodeMs, preprocessMs: timings.preprocessMs, input };
  } catch (error) {
    // A decode out of time may be the machine's load as well as the film: tried again, counted as an attempt.
    if (isImagingError(error) && error.code === "decode_timeout") return { kind: "retry", code: error.code, message: error.message, film: true };
    if (isImagingError(error)) return { kind: "rejected", code: error.code, message: error.message };
    throw error;
  }
}

/**
 * Renders and stores the display image and thumbnail of a prepared image unless an earlier upload of the
 * same file did, then lets its source go. The thumbnail is written after the display image, so a stored
 * thumbnail means both are there.
 */
export async function storeRenderings(handle: number, sha256: string): Promise<RenderTimings> {
  const source = sources.get(handle);
  sources.delete(handle);
  if (!source) throw new Error("the image thread holds no prepared image for this rendering");
  if (await hasStored("thumbnail", sha256)) return { render: 0, store: 0 };
  const t0 = performance.now();
  const rendered = await renderDisplayImages(source);
  const t1 = performance.now();
  await putStored("display", sha256, rendered.full);
  await putStored("thumbnail", sha256, rendered.thumbnail);
  return { render: round(t1 - t0), store: round(performance.now() - t1) };
}

/** A model input the model is done with, handed back to serve the next decodes of this thread. */
export function takeBackInput(buffer: ArrayBuffer): void {
  returnPixelBuffer(new Float32Array(buffer));
}
