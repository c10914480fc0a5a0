import "server-only";
import { decodeImage, preprocessForModel, type DecodedImage, type QualityWarning } from "@/lib/imaging";
import type { QualityGateMode } from "@/lib/imaging";
import { calibrate, type Finding } from "@/lib/inference/calibrate";
import { ModelError } from "@/lib/inference/errors";
import type { LoadedModel } from "@/lib/inference/engine";
import { getModel } from "@/lib/inference/registry";

// The one analysis pipeline, shared by the CLI and the upload route:
//   decode (with quality warnings) -> preprocess to 224x224 -> infer (batched, shared session) -> calibrate.
// Errors keep their types: ImagingError for the file, ModelError for the model.

export interface AnalysisResult {
  model: { name: string; version: string; trained: boolean; provider: string };
  /** The decoded image, for display rendering and metadata; its pixels are the unresized model scale. */
  decoded: DecodedImage;
  warnings: QualityWarning[];
  /** Model output order. */
  findings: Finding[];
  cam: { shape: [number, number, number]; data: Float32Array };
  /** The exact model input (224*224 float32). */
  input: Float32Array;
  timings: { decodeMs: number; preprocessMs: number; inferenceMs: number };
}

export interface AnalyzeOptions {
  fileName?: string;
  /** Defaults to the shared model of MODEL_DIR. */
  model?: LoadedModel;
  qualityGates?: QualityGateMode;
}

export async function analyzeImage(buf: Buffer, opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const modelPromise = opts.model ? Promise.resolve(opts.model) : getModel();
  // Load the model concurrently with decoding; a load failure must not become an unhandled rejection.
  modelPromise.catch(() => undefined);

  const t0 = performance.now();
  const decoded = await decodeImage(buf, { fileName: opts.fileName, qualityGates: opts.qualityGates });
  const t1 = performance.now();
  const input = preprocessForModel(decoded);
  const t2 = performance.now();
  const model = await modelPromise;
  const t3 = performance.now();
  const [out] = await model.run([input]);
  const t4 = performance.now();

  // Any finite logit is stored (double precision) and shown; a NaN or infinite output has no score to
  // show, so the upload is refused with a message rather than stored half-meaningful.
  if (!Array.from(out.logits).every(Number.isFinite)) {
    throw new ModelError("MODEL_INPUT_INVALID", "The model produced no usable score for this image (a non-numeric output); it was not analysed.");
  }
  const { manifest } = model;
  const [, classes, h, w] = manifest.outputs.cam.shape;
  return {
    model: { name: manifest.name, version: manifest.version, trained: manifest.trained, provider: model.provider },
    decoded,
    warnings: decoded.warnings,
    findings: calibrate(out.logits, manifest),
    cam: { shape: [classes, h, w], data: out.cam },
    input,
    timings: { decodeMs: t1 - t0, preprocessMs: t2 - t1, inferenceMs: t4 - t3 },
  };
}
