import "server-only";
import { createHash } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { ModelError } from "@/lib/inference/errors";
import { MANIFEST_FILE, ManifestSchema, ONNX_FILE, type ModelManifest, type QuantizationInfo } from "@/lib/inference/manifest";
import type { DenseNetConfig } from "./densenet/weights";
import { OPSET } from "./densenet/build-graph";

// A model directory holds model.onnx and model.json. Both are written to temporary names and renamed,
// so a reader never sees a half-written model and an interrupted conversion leaves the old one intact.

export const MODEL_VERSION = "1";

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export interface ManifestFields {
  name: string;
  description: string;
  config: DenseNetConfig;
  labels: string[];
  op_threshs: (number | null)[] | null;
  checkpoint: ModelManifest["checkpoint"];
  seed: number | null;
  trained: boolean;
  inputSize?: number;
}

export async function writeModelDir(dir: string, onnx: Uint8Array, f: ManifestFields): Promise<ModelManifest> {
  const size = f.inputSize ?? 224;
  const { config } = f;
  // conv0 and pool0 halve the image twice, each transition once more: 224 -> 7 for four blocks.
  const camSize = size / (4 * 2 ** (config.blocks.length - 1));
  if (f.labels.length !== config.numClasses) {
    throw new ModelError("MODEL_ARCHITECTURE", `the weights have ${config.numClasses} outputs but ${f.labels.length} labels were given`);
  }
  if (f.op_threshs && f.op_threshs.length !== config.numClasses) {
    throw new ModelError("MODEL_ARCHITECTURE", `the weights have ${config.numClasses} outputs but ${f.op_threshs.length} thresholds were given`);
  }
  const manifest = ManifestSchema.parse({
    schemaVersion: 1,
    name: f.name,
    version: MODEL_VERSION,
    description: f.description,
    architecture: { family: "densenet", variant: variantName(config), ...config },
    labels: f.labels,
    op_threshs: f.op_threshs,
    input: {
      name: "image",
      shape: ["N", config.inChannels, size, size],
      size,
      dtype: "float32",
      scale: { min: -1024, max: 1024 },
      preprocessing:
        "first channel; (2*v/maxval - 1)*1024; centre square crop on the long side; antialiased bilinear resize to 224x224 (torch interpolate antialias=True)",
    },
    outputs: {
      logits: { name: "logits", shape: ["N", config.numClasses] },
      cam: { name: "cam", shape: ["N", config.numClasses, camSize, camSize] },
    },
    checkpoint: f.checkpoint,
    seed: f.seed,
    trained: f.trained,
    precision: "fp32",
    quantization: null,
    onnx: { file: ONNX_FILE, sha256: sha256Hex(onnx), bytes: onnx.length, opset: OPSET },
    createdAt: new Date().toISOString(),
  } satisfies ModelManifest);
  await writeModelFiles(dir, onnx, manifest);
  return manifest;
}

/** An int8 model made from `source`: the same contract (labels, thresholds, input, outputs), new graph. */
export async function writeQuantizedModelDir(dir: string, onnx: Uint8Array, source: ModelManifest, q: QuantizationInfo): Promise<ModelManifest> {
  const manifest = ManifestSchema.parse({
    ...source,
    description: `${source.description} (int8, quantized from ${source.name} ${source.onnx.sha256.slice(0, 12)})`,
    precision: q.precision,
    quantization: q,
    onnx: { ...source.onnx, sha256: sha256Hex(onnx), bytes: onnx.length },
    createdAt: q.quantizedAt,
  } satisfies ModelManifest);
  await writeModelFiles(dir, onnx, manifest);
  return manifest;
}

/** Writes a model directory's two files (any manifest: a classifier's, or a zoo model's). */
export async function writeModelFiles(dir: string, onnx: Uint8Array, manifest: object): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmpOnnx = path.join(dir, `.${ONNX_FILE}.${process.pid}.tmp`);
  const tmpJson = path.join(dir, `.${MANIFEST_FILE}.${process.pid}.tmp`);
  await writeFile(tmpOnnx, onnx);
  await writeFile(tmpJson, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(tmpOnnx, path.join(dir, ONNX_FILE));
  await rename(tmpJson, path.join(dir, MANIFEST_FILE));
}

function variantName(c: DenseNetConfig): string {
  const known: Record<string, string> = { "6,12,24,16": "densenet121", "6,12,32,32": "densenet169", "6,12,48,32": "densenet201", "6,12,36,24": "densenet161" };
  return known[c.blocks.join(",")] ?? `densenet-${c.blocks.join("-")}`;
}
