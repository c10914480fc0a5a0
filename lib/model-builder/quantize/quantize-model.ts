import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ModelError } from "@/lib/inference/errors";
import { ONNX_FILE, type ModelManifest } from "@/lib/inference/manifest";
import { readManifest } from "@/lib/inference/model-dir";
import { writeQuantizedModelDir } from "@/lib/model-builder/model-dir-writer";
import { calibrateRanges } from "./calibrate-ranges";
import { decodeModel, encodeModel } from "./onnx-model";
import { planQdq } from "./qdq-plan";
import { rewriteQdq, type RewriteSummary } from "./qdq-rewrite";

// A converted (float32) model directory in, an int8 one out: plan the quantization points, calibrate
// their ranges on films, write the QDQ graph and a manifest saying precision, calibration set and date.

export interface QuantizeOptions {
  modelDir: string;
  outDir: string;
  /** Preprocessed model inputs (size x size float32 on the model's scale), one per calibration film. */
  calibration: Float32Array[];
  /** What the calibration films were, for the manifest (e.g. "fixtures: 10 films of xrv/images"). */
  calibrationSet: string;
}

export interface QuantizeResult {
  manifest: ModelManifest;
  summary: RewriteSummary;
  skipped: { node: string; why: string }[];
}

export async function quantizeModel(opts: QuantizeOptions): Promise<QuantizeResult> {
  const source = await readManifest(opts.modelDir);
  if (source.precision !== "fp32") {
    throw new ModelError("MODEL_ARCHITECTURE", `${opts.modelDir} is already ${source.precision}: quantize the float32 model it came from`);
  }
  const bytes = await readFile(path.join(opts.modelDir, ONNX_FILE));
  const model = decodeModel(bytes);
  const plan = planQdq(model.graph);
  if (plan.convs.length === 0) throw new ModelError("MODEL_ARCHITECTURE", "the graph has no convolution to quantize");
  const ranges = await calibrateRanges(model, plan.calibrate, opts.calibration, source.input.size, source.input.shape[1]);
  const { model: quantized, summary } = rewriteQdq(model, plan, ranges);
  quantized.metadataProps = [...(quantized.metadataProps ?? []).filter((p) => p.key !== "precision"), { key: "precision", value: "int8" }];
  quantized.producerName = "cxr-platform-quantize";
  const manifest = await writeQuantizedModelDir(opts.outDir, encodeModel(quantized), source, {
    precision: "int8",
    method: "static QDQ: int8 per-channel symmetric weights, uint8 per-tensor activations (min/max), int32 bias; first convolution and head float32",
    calibrationSet: opts.calibrationSet,
    calibrationFilms: opts.calibration.length,
    source: { name: source.name, version: source.version, sha256: source.onnx.sha256 },
    quantizedAt: new Date().toISOString(),
  });
  return { manifest, summary, skipped: plan.skipped };
}
