import "server-only";
import type { Checkpoint } from "../checkpoint/read-checkpoint";
import { OPSET } from "../densenet/build-graph";
import { buildPspNetGraph } from "./pspnet-graph";
import { pspnetFromTensors } from "./pspnet-weights";
import { buildResNetGraph } from "./resnet-graph";
import { keepOutputs, resnetFromTensors, type ResNetConfig } from "./resnet-weights";
import { PSPNET_NAME, RESNET50_NAME, VIEW_NAME, ZOO, type ZooEntry } from "./zoo-catalog";
import { ModelError } from "@/lib/inference/errors";
import { ManifestSchema, ONNX_FILE, type ModelManifest } from "@/lib/inference/manifest";
import { MODEL_VERSION, sha256Hex, writeModelFiles } from "@/lib/model-builder/model-dir-writer";
import { preprocessingText, ZooManifestSchema, type ZooManifest } from "@/lib/inference/zoo-manifest";

// The release zoo's checkpoints -> model.onnx + model.json: the 512-pixel ResNet-50 classifier (a
// classifier manifest, same outputs as the DenseNet: logits and cam), the PSPNet (task "anatomy") and
// the view model (task "view").

export interface ZooSource {
  checkpoint: Pick<Checkpoint, "tensors" | "format" | "kind">;
  fileName: string;
  bytes: Uint8Array;
  sourceUrl: string | null;
}

export interface ZooConvertOptions {
  outDir: string;
  name: string;
  trained: boolean;
  seed?: number | null;
  description?: string;
}

export type ZooConvertResult = { kind: "classifier"; manifest: ModelManifest } | { kind: "zoo"; manifest: ZooManifest };

function provenance(src: ZooSource | null) {
  if (!src) return null;
  return {
    url: src.sourceUrl,
    fileName: src.fileName,
    sha256: sha256Hex(src.bytes),
    bytes: src.bytes.length,
    format: src.checkpoint.format,
    kind: src.checkpoint.kind,
  };
}

function onnxInfo(onnx: Uint8Array) {
  return { file: ONNX_FILE, sha256: sha256Hex(onnx), bytes: onnx.length, opset: OPSET } as const;
}

function resnetVariant(c: ResNetConfig): string {
  const known: Record<string, string> = { "3,4,6,3": "resnet50", "3,4,23,3": "resnet101", "3,8,36,3": "resnet152" };
  return known[c.blocks.join(",")] ?? `resnet-${c.blocks.join("-")}`;
}

/** The ResNet-50 classifier: a manifest of the same shape as the DenseNet's (logits + cam). */
export async function writeResNetClassifier(
  tensors: Checkpoint["tensors"],
  src: ZooSource | null,
  opts: ZooConvertOptions,
): Promise<ModelManifest> {
  const entry = ZOO[RESNET50_NAME];
  const w = resnetFromTensors(tensors);
  const { numClasses } = w.config;
  if (numClasses !== entry.labels.length) {
    throw new ModelError("MODEL_ARCHITECTURE", `a 1-channel ResNet with ${numClasses} outputs; ${RESNET50_NAME} has ${entry.labels.length}`);
  }
  const size = entry.inputSize;
  const onnx = buildResNetGraph(w, { inputSize: size, input: "xrv", cam: true, metadata: { name: opts.name, labels: JSON.stringify(entry.labels) } });
  const fm = size / 32;
  const manifest = ManifestSchema.parse({
    schemaVersion: 1,
    name: opts.name,
    version: MODEL_VERSION,
    description: opts.description ?? entry.description,
    architecture: { family: "resnet", variant: resnetVariant(w.config), ...w.config },
    labels: entry.labels,
    op_threshs: entry.op_threshs,
    input: { name: "image", shape: ["N", 1, size, size], size, dtype: "float32", scale: { min: -1024, max: 1024 }, preprocessing: preprocessingText(size) },
    outputs: { logits: { name: "logits", shape: ["N", numClasses] }, cam: { name: "cam", shape: ["N", numClasses, fm, fm] } },
    checkpoint: provenance(src),
    seed: opts.seed ?? null,
    trained: opts.trained,
    precision: "fp32",
    quantization: null,
    onnx: onnxInfo(onnx),
    createdAt: new Date().toISOString(),
  } satisfies ModelManifest);
  await writeModelFiles(opts.outDir, onnx, manifest);
  return manifest;
}

function zooManifest(entry: ZooEntry, onnx: Uint8Array, fields: Pick<ZooManifest, "architecture" | "outputs">, src: ZooSource | null, dropped: string[], opts: ZooConvertOptions): ZooManifest {
  const size = entry.inputSize;
  const checkpoint = provenance(src);
  return ZooManifestSchema.parse({
    schemaVersion: 1,
    task: entry.task === "anatomy" ? "anatomy" : "view",
    name: opts.name,
    version: MODEL_VERSION,
    description: opts.description ?? entry.description,
    architecture: fields.architecture,
    labels: entry.labels,
    op_threshs: null,
    input: {
      name: "image",
      shape: ["N", 1, size, size],
      size,
      dtype: "float32",
      scale: { min: -1024, max: 1024 },
      preprocessing: preprocessingText(size),
      normalisation: "repeat to 3 channels, (x + 1024) / 2048, ImageNet mean/std",
    },
    outputs: fields.outputs,
    checkpoint: checkpoint && { ...checkpoint, dropped },
    seed: opts.seed ?? null,
    trained: opts.trained,
    onnx: onnxInfo(onnx),
    createdAt: new Date().toISOString(),
  } satisfies ZooManifest);
}

export async function writePspNet(tensors: Checkpoint["tensors"], src: ZooSource | null, opts: ZooConvertOptions): Promise<ZooManifest> {
  const entry = ZOO[PSPNET_NAME];
  const w = pspnetFromTensors(tensors);
  if (w.config.numClasses !== entry.labels.length) {
    throw new ModelError("MODEL_ARCHITECTURE", `a PSPNet with ${w.config.numClasses} targets; the chestx_det release has ${entry.labels.length}`);
  }
  const size = entry.inputSize;
  const onnx = buildPspNetGraph(w, { inputSize: size, metadata: { name: opts.name, labels: JSON.stringify(entry.labels) } });
  const manifest = zooManifest(
    entry,
    onnx,
    {
      architecture: { family: "pspnet", variant: `pspnet-resnet${w.config.blocks.reduce((a, b) => a + b, 0) * 3 + 2}`, blocks: w.config.blocks, numClasses: w.config.numClasses },
      outputs: { logits: { name: "logits", shape: ["N", w.config.numClasses, size, size] } },
    },
    src,
    w.dropped,
    opts,
  );
  await writeModelFiles(opts.outDir, onnx, manifest);
  return manifest;
}

export async function writeViewModel(tensors: Checkpoint["tensors"], src: ZooSource | null, opts: ZooConvertOptions): Promise<ZooManifest> {
  const entry = ZOO[VIEW_NAME];
  const full = resnetFromTensors(tensors);
  // xinario's model is torchvision's ImageNet head; the view is its first two outputs.
  const w = keepOutputs(full, entry.labels.length);
  const size = entry.inputSize;
  const onnx = buildResNetGraph(w, { inputSize: size, input: "imagenet", cam: false, metadata: { name: opts.name, labels: JSON.stringify(entry.labels) } });
  const manifest = zooManifest(
    entry,
    onnx,
    {
      architecture: { family: "resnet", variant: resnetVariant(w.config), blocks: w.config.blocks, numClasses: w.config.numClasses },
      outputs: { logits: { name: "logits", shape: ["N", w.config.numClasses] } },
    },
    src,
    [`fc.weight rows ${entry.labels.length}..${full.config.numClasses - 1}`, `fc.bias rows ${entry.labels.length}..${full.config.numClasses - 1}`],
    opts,
  );
  await writeModelFiles(opts.outDir, onnx, manifest);
  return manifest;
}
