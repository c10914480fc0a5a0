import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { catalogEntry, XRV_LABELS } from "./catalog";
import { readCheckpoint } from "./checkpoint/read-checkpoint";
import { buildDenseNetGraph } from "./densenet/build-graph";
import { densenetFromTensors } from "./densenet/weights";
import { ModelError } from "@/lib/inference/errors";
import type { ModelManifest } from "@/lib/inference/manifest";
import { sha256Hex, writeModelDir } from "@/lib/model-builder/model-dir-writer";

// PyTorch checkpoint -> model.onnx + model.json. Labels and operating points come from the catalog
// entry of `name` (the release's models.py values), else from an op_threshs tensor in the checkpoint,
// else none.

export interface ConvertOptions {
  checkpoint: string;
  outDir: string;
  name?: string;
  /** false for fixtures and other random weights; the manifest and every UI then say "untrained". */
  trained?: boolean;
  /** Where the checkpoint was downloaded from, when known. */
  sourceUrl?: string | null;
}

export interface ConvertResult {
  manifest: ModelManifest;
  onnxPath: string;
  tensorCount: number;
  skipped: string[];
}

export async function convertCheckpoint(opts: ConvertOptions): Promise<ConvertResult> {
  const name = opts.name ?? path.basename(opts.outDir);
  const bytes = await readFile(opts.checkpoint).catch((err: NodeJS.ErrnoException) => {
    throw new ModelError("MODEL_NOT_FOUND", `cannot read checkpoint ${opts.checkpoint}: ${err.code ?? err.message}`);
  });
  const ckpt = readCheckpoint(bytes);
  const weights = densenetFromTensors(ckpt.tensors, ckpt.modules);
  const { numClasses } = weights.config;

  const entry = catalogEntry(name);
  let labels: string[];
  let thresholds: (number | null)[] | null;
  if (entry && entry.labels.length === numClasses) {
    labels = entry.labels;
    thresholds = entry.op_threshs;
  } else {
    labels = numClasses === XRV_LABELS.length ? [...XRV_LABELS] : Array.from({ length: numClasses }, (_, i) => `output_${i}`);
    const embedded = ckpt.tensors.get("op_threshs");
    thresholds = embedded && embedded.data.length === numClasses ? Array.from(embedded.data, (t) => (Number.isNaN(t) ? null : t)) : null;
  }

  const { onnx } = buildDenseNetGraph(weights, { metadata: { name, labels: JSON.stringify(labels) } });
  const manifest = await writeModelDir(opts.outDir, onnx, {
    name,
    description: entry?.description ?? `Converted from ${path.basename(opts.checkpoint)}`,
    config: weights.config,
    labels,
    op_threshs: thresholds,
    checkpoint: {
      url: opts.sourceUrl ?? null,
      fileName: path.basename(opts.checkpoint),
      sha256: sha256Hex(bytes),
      bytes: bytes.length,
      format: ckpt.format,
      kind: ckpt.kind,
    },
    seed: null,
    trained: opts.trained ?? true,
  });
  return { manifest, onnxPath: path.join(opts.outDir, "model.onnx"), tensorCount: ckpt.tensors.size, skipped: ckpt.skipped };
}
