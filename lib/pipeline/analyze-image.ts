import "server-only";
import { decodeImage, preprocessForModel, type DecodedImage, type QualityWarning } from "@/lib/imaging";
import type { QualityGateMode } from "@/lib/imaging";
import { calibrate, type Finding } from "@/lib/inference/calibrate";
import { ModelError } from "@/lib/inference/errors";
import type { LoadedModel } from "@/lib/inference/engine";
import { getModel } from "@/lib/inference/registry";

// The one analysis pipeline, shared by the CLI, the benchmarks and the queue's workers:
//   decode (with quality warnings) -> preprocess to 224x224 -> infer (batched, shared session) -> calibrate.
// Split in two stages so a worker can prepare many images and run them through the model as one batch.
// Errors keep their types: ImagingError for the file, ModelError for the model.

export interface PreparedImage {
  /** The decoded image, for display rendering and metadata; its pixels are the unresized model scale. */
  decoded: DecodedImage;
  warnings: QualityWarning[];
  /** The exact model input (224*224 float32). */
  input: Float32Array;
  timings: { decodeMs: number; preprocessMs: number };
}

export interface ModelVerdict {
  model: { name: string; version: string; trained: boolean; provider: string; precision: "fp32" | "int8" };
  /** Model output order. */
  findings: Finding[];
  cam: { shape: [number, number, number]; data: Float32Array };
  /** The batch's inference time (every image of a batch shares it). */
  inferenceMs: number;
  /** Set when the model's output for this image cannot be shown (non-finite scores). */
  unusable?: ModelError;
}

export type AnalysisResult = PreparedImage & ModelVerdict & { timings: PreparedImage["timings"] & { inferenceMs: number } };

export interface AnalyzeOptions {
  fileName?: string;
  /** Defaults to the shared model of MODEL_DIR. */
  model?: LoadedModel;
  qualityGates?: QualityGateMode;
  /** Side of the square model input (the model manifest's input.size); 224 when not given. */
  inputSize?: number;
}

/** Decode, quality gates and preprocessing: everything before the model. */
export async function prepareImage(buf: Buffer, opts: Omit<AnalyzeOptions, "model"> = {}): Promise<PreparedImage> {
  const t0 = performance.now();
  const decoded = await decodeImage(buf, { fileName: opts.fileName, qualityGates: opts.qualityGates });
  const t1 = performance.now();
  const input = preprocessForModel(decoded, opts.inputSize);
  return { decoded, warnings: decoded.warnings, input, timings: { decodeMs: t1 - t0, preprocessMs: performance.now() - t1 } };
}

/** Runs prepared images through the model as one batch and calibrates each output. */
export async function inferBatch(model: LoadedModel, inputs: Float32Array[]): Promise<ModelVerdict[]> {
  const t0 = performance.now();
  const outputs = await model.run(inputs);
  const inferenceMs = performance.now() - t0;
  const { manifest } = model;
  const [, classes, h, w] = manifest.outputs.cam.shape;
  const info = { name: manifest.name, version: manifest.version, trained: manifest.trained, provider: model.provider, precision: manifest.precision };
  return outputs.map((out) => ({
    model: info,
    findings: calibrate(out.logits, manifest),
    cam: { shape: [classes, h, w], data: out.cam },
    inferenceMs,
    // Any finite logit is stored (double precision) and shown; a NaN or infinite output has no score to
    // show, so that image is refused with a message rather than stored half-meaningful.
    unusable: Array.from(out.logits).every(Number.isFinite)
      ? undefined
      : new ModelError("MODEL_INPUT_INVALID", "The model produced no usable score for this image (a non-numeric output); it was not analysed."),
  }));
}

export async function analyzeImage(buf: Buffer, opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const modelPromise = opts.model ? Promise.resolve(opts.model) : getModel();
  // Load the model concurrently with decoding; a load failure must not become an unhandled rejection.
  modelPromise.catch(() => undefined);
  const inputSize = (opts.model ?? (await modelPromise)).manifest.input.size;
  const prepared = await prepareImage(buf, { ...opts, inputSize });
  const [verdict] = await inferBatch(await modelPromise, [prepared.input]);
  if (verdict.unusable) throw verdict.unusable;
  return { ...prepared, ...verdict, timings: { ...prepared.timings, inferenceMs: verdict.inferenceMs } };
}
