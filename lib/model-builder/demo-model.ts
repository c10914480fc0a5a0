import "server-only";
import * as ort from "onnxruntime-node";
import { CATALOG, DEFAULT_MODEL_NAME } from "./catalog";
import { buildDenseNetGraph } from "./densenet/build-graph";
import { DENSENET121, randomDenseNet, syntheticChestImages } from "./densenet/random-weights";
import type { DenseNetConfig, DenseNetWeights } from "./densenet/weights";
import type { ModelManifest } from "@/lib/inference/manifest";
import { writeModelDir } from "@/lib/model-builder/model-dir-writer";

// The untrained demo model: seeded random DenseNet-121 weights, so the whole app runs offline. Its
// outputs mean nothing medically and model.json says trained: false.
//
// Random weights with neutral BatchNorm statistics blow activations up layer after layer, so the
// statistics are calibrated: one run of the graph in "calibrate" mode (BatchNorm on batch statistics)
// over synthetic chest-like images yields every layer's mean and variance at once. The classifier is
// then scaled so logits vary by about one unit across images and sit a little below each operating
// point: scores spread around the threshold instead of saturating at 0 or 1.

export const DEMO_MODEL_NAME = `${DEFAULT_MODEL_NAME}-demo`;
export const DEMO_SEED = 20240601;
const CALIBRATION_IMAGES = 8;
const LOGIT_SPREAD = 1;
const LOGIT_OFFSET = -0.5;

async function calibrate(w: DenseNetWeights, seed: number): Promise<void> {
  const { onnx, batchNorms } = buildDenseNetGraph(w, { mode: "calibrate" });
  // One thread: reductions then add up in a fixed order, so the demo model is reproducible.
  const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: "all" });
  try {
    const images = syntheticChestImages(seed, CALIBRATION_IMAGES);
    const out = await session.run({ image: new ort.Tensor("float32", images, [CALIBRATION_IMAGES, 1, 224, 224]) });
    batchNorms.forEach((bn, i) => {
      bn.mean = Float32Array.from(out[`bn${i}_mean`].data as Float32Array);
      bn.variance = Float32Array.from(out[`bn${i}_var`].data as Float32Array);
    });
    scaleClassifier(w, out.pooled.data as Float32Array);
  } finally {
    await session.release();
  }
}

function scaleClassifier(w: DenseNetWeights, pooled: Float32Array) {
  const { numClasses, numFeatures } = w.config;
  const thresholds = CATALOG[DEFAULT_MODEL_NAME].op_threshs;
  for (let c = 0; c < numClasses; c++) {
    const row = w.classifier.weight.subarray(c * numFeatures, (c + 1) * numFeatures);
    const z = Array.from({ length: CALIBRATION_IMAGES }, (_, i) => {
      let s = 0;
      for (let k = 0; k < numFeatures; k++) s += row[k] * pooled[i * numFeatures + k];
      return s;
    });
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const std = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length) || 1;
    const gain = LOGIT_SPREAD / std;
    for (let k = 0; k < numFeatures; k++) row[k] *= gain;
    const t = thresholds[c] ?? 0.5;
    w.classifier.bias[c] = Math.log(t / (1 - t)) + LOGIT_OFFSET - mean * gain;
  }
}

/** The demo's seeded weights with calibrated BatchNorm statistics and classifier. */
export async function demoWeights(seed = DEMO_SEED, config: DenseNetConfig = DENSENET121): Promise<DenseNetWeights> {
  const weights = randomDenseNet(seed, config);
  await calibrate(weights, seed);
  return weights;
}

/** `config` is for tests that want a small network; the demo itself is DenseNet-121. */
export async function buildDemoModel(outDir: string, seed = DEMO_SEED, config: DenseNetConfig = DENSENET121): Promise<ModelManifest> {
  const weights = await demoWeights(seed, config);
  const entry = CATALOG[DEFAULT_MODEL_NAME];
  const { onnx } = buildDenseNetGraph(weights, { metadata: { name: DEMO_MODEL_NAME, trained: "false" } });
  return writeModelDir(outDir, onnx, {
    name: DEMO_MODEL_NAME,
    description: "UNTRAINED demo: DenseNet-121 with seeded random weights. Its outputs mean nothing medically.",
    config: weights.config,
    labels: entry.labels,
    op_threshs: entry.op_threshs,
    checkpoint: null,
    seed,
    trained: false,
  });
}
