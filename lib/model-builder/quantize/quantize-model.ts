import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ModelError } from "@/lib/inference/errors";
import { ONNX_FILE, type ModelManifest } from "@/lib/inference/manifest";
import { readManifest } from "@/lib/inference/model-dir";
import { writeQuantizedModelDir } from "@/lib/model-builder/model-dir-writer";
import { searchAgreement } from "./agreement-search";
import { calibrateRanges, type RangeMethod } from "./calibrate-ranges";
import { decodeModel, encodeModel } from "./onnx-model";
import { planQdq } from "./qdq-plan";
import { rewriteQdq, type RewriteSummary } from "./qdq-rewrite";

// A converted (float32) model directory in, an int8 one out: plan the quantization points, calibrate
// their ranges on films, keep float32 what the agreement limit requires (measured on the same films),
// write the QDQ graph and a manifest saying precision, calibration set, what stayed float32 and date.

export interface QuantizeOptions {
  modelDir: string;
  outDir: string;
  /** Preprocessed model inputs (size x size float32 on the model's scale), one per calibration film. */
  calibration: Float32Array[];
  /** What the calibration films were, for the manifest (e.g. "fixtures: 10 films of xrv/images"). */
  calibrationSet: string;
  /** Activation ranges: least-squared-error clipping (default) or plain min/max. */
  rangeMethod?: RangeMethod;
  /**
   * Max |Δ calibrated score| against the float32 graph allowed on the calibration films (and no call at
   * the operating point changed); convolutions stay float32 from the first one on until it holds.
   * null: every convolution but the first and the head int8, unmeasured.
   */
  agreementLimit?: number | null;
}

/**
 * Half the acceptance limit (0.02) on the films the search measures, leaving the other half for films it
 * did not see (the evaluation set, the site's patients).
 */
export const DEFAULT_AGREEMENT_LIMIT = 0.01;

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
  const full = planQdq(model.graph);
  if (full.convs.length === 0) throw new ModelError("MODEL_ARCHITECTURE", "the graph has no convolution to quantize");
  const rangeMethod = opts.rangeMethod ?? "mse";
  const ranges = await calibrateRanges(model, full.calibrate, opts.calibration, source.input.size, source.input.shape[1], rangeMethod);
  const limit = opts.agreementLimit === undefined ? DEFAULT_AGREEMENT_LIMIT : opts.agreementLimit;
  const searched = limit === null ? null : await searchAgreement({ model, ranges, inputs: opts.calibration, manifest: source, limit });
  const plan = searched?.plan ?? full;
  if (plan.convs.length === 0) {
    const measured = searched?.search.probes.map((p) => `${p.int8Convs} int8: ${p.maxAbsCalibratedDifference.toFixed(4)}, ${p.changedCalls} calls changed`).join("; ");
    throw new ModelError("MODEL_ARCHITECTURE", `no convolution can run int8 with |Δ calibrated| <= ${limit} and no call changed on the calibration films (${measured}): keep the float32 model`);
  }
  const { model: quantized, summary } = rewriteQdq(model, plan, ranges);
  quantized.metadataProps = [...(quantized.metadataProps ?? []).filter((p) => p.key !== "precision"), { key: "precision", value: "int8" }];
  quantized.producerName = "cxr-platform-quantize";
  const manifest = await writeQuantizedModelDir(opts.outDir, encodeModel(quantized), source, {
    precision: "int8",
    method: `static QDQ: int8 per-channel symmetric weights, uint8 per-tensor activations (${rangeMethod === "mse" ? "least-squared-error range" : "min/max"}), int32 bias; first convolution and head float32`,
    calibrationSet: opts.calibrationSet,
    calibrationFilms: opts.calibration.length,
    source: { name: source.name, version: source.version, sha256: source.onnx.sha256 },
    quantizedAt: new Date().toISOString(),
    convolutions: { int8: plan.convs.length, float32: plan.skipped.length },
    agreement: searched
      ? {
          limit: searched.search.limit,
          measuredOn: "calibration films",
          firstInt8Conv: plan.convs[0].name,
          keptFloatConvs: searched.search.keptFloat.length,
          chosen: searched.search.chosen,
          probes: searched.search.probes,
        }
      : null,
  });
  return { manifest, summary, skipped: plan.skipped };
}
