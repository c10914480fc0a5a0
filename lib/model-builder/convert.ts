import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { catalogEntry, CATALOG, XRV_LABELS } from "./catalog";
import { readCheckpoint, type Checkpoint } from "./checkpoint/read-checkpoint";
import { buildDenseNetGraph } from "./densenet/build-graph";
import { densenetFromTensors } from "./densenet/weights";
import { writePspNet, writeResNetClassifier, writeViewModel, type ZooSource } from "./zoo/convert-zoo";
import { detectReleaseForm, type ReleaseForm } from "./zoo/detect-form";
import { CheckpointError, ModelError } from "@/lib/inference/errors";
import type { ModelManifest } from "@/lib/inference/manifest";
import { sha256Hex, writeModelDir } from "@/lib/model-builder/model-dir-writer";
import type { ZooManifest } from "@/lib/inference/zoo-manifest";

// PyTorch checkpoint -> model.onnx + model.json. The release form is recognised from the tensors (see
// zoo/detect-form.ts): a DenseNet, the 512-pixel ResNet-50 classifier, the PSPNet anatomy model or the
// view model. A gzip-compressed checkpoint (.gz) is unpacked in memory first. DenseNet labels and
// operating points come from the catalog entry of `name` (the release's models.py values), else from an
// op_threshs tensor in the checkpoint, else none; the other releases carry their own (zoo/zoo-catalog.ts).

export interface ConvertOptions {
  checkpoint: string;
  outDir: string;
  name?: string;
  /** false for fixtures and other random weights; the manifest and every UI then say "untrained". */
  trained?: boolean;
  /** Where the checkpoint was downloaded from, when known. */
  sourceUrl?: string | null;
  /** Refuse (before writing anything) a checkpoint of another release form. */
  expectForm?: ReleaseForm;
}

export interface ConvertResult {
  manifest: ModelManifest;
  onnxPath: string;
  tensorCount: number;
  skipped: string[];
}

export type ReleaseConvertResult =
  | ({ form: "densenet" | "resnet50-res512-all"; kind: "classifier" } & ConvertResult)
  | { form: "chestx-det-pspnet" | "xinario-view"; kind: "zoo"; manifest: ZooManifest; onnxPath: string; tensorCount: number; skipped: string[] };

const GZIP_MAGIC = [0x1f, 0x8b];

interface Loaded {
  bytes: Uint8Array;
  fileName: string;
  ckpt: Checkpoint;
  form: ReleaseForm;
}

async function load(file: string): Promise<Loaded> {
  let bytes: Uint8Array = await readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new ModelError("MODEL_NOT_FOUND", `cannot read checkpoint ${file}: ${err.code ?? err.message}`);
  });
  let fileName = path.basename(file);
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw new CheckpointError("CHECKPOINT_TRUNCATED", `${fileName} is gzip-compressed but does not unpack: ${(err as Error).message}`);
    }
    fileName = fileName.replace(/\.gz$/i, "");
  }
  const ckpt = readCheckpoint(bytes);
  return { bytes, fileName, ckpt, form: detectReleaseForm(ckpt) };
}

/** Any recognised release form. */
export async function convertRelease(opts: ConvertOptions): Promise<ReleaseConvertResult> {
  const { bytes, fileName, ckpt, form } = await load(opts.checkpoint);
  if (opts.expectForm && form !== opts.expectForm) {
    throw new ModelError("MODEL_ARCHITECTURE", `${fileName} holds the ${form} model, not ${opts.expectForm}`);
  }
  const onnxPath = path.join(opts.outDir, "model.onnx");
  const common = { onnxPath, tensorCount: ckpt.tensors.size, skipped: ckpt.skipped };
  if (form === "densenet") return { form, kind: "classifier", ...(await writeDenseNet(ckpt, bytes, fileName, opts)) };
  const src: ZooSource = { checkpoint: ckpt, fileName, bytes, sourceUrl: opts.sourceUrl ?? null };
  // A DenseNet catalog name (the CLI's default) does not name a zoo release: use the release's own.
  const name = opts.name && !Object.hasOwn(CATALOG, opts.name) ? opts.name : form;
  const zooOpts = { outDir: opts.outDir, name, trained: opts.trained ?? true };
  if (form === "resnet50-res512-all") return { form, kind: "classifier", manifest: await writeResNetClassifier(ckpt.tensors, src, zooOpts), ...common };
  if (form === "chestx-det-pspnet") return { form, kind: "zoo", manifest: await writePspNet(ckpt.tensors, src, zooOpts), ...common };
  return { form, kind: "zoo", manifest: await writeViewModel(ckpt.tensors, src, zooOpts), ...common };
}

/** A findings classifier (DenseNet or ResNet-50); an anatomy or view checkpoint is refused here. */
export async function convertCheckpoint(opts: ConvertOptions): Promise<ConvertResult> {
  const r = await convertRelease(opts);
  if (r.kind !== "classifier") throw new ModelError("MODEL_ARCHITECTURE", `${path.basename(opts.checkpoint)} is the ${r.form} model, not a findings classifier`);
  return r;
}

async function writeDenseNet(ckpt: Checkpoint, bytes: Uint8Array, fileName: string, opts: ConvertOptions): Promise<ConvertResult> {
  const name = opts.name ?? path.basename(opts.outDir);
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
    description: entry?.description ?? `Converted from ${fileName}`,
    config: weights.config,
    labels,
    op_threshs: thresholds,
    checkpoint: {
      url: opts.sourceUrl ?? null,
      fileName,
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
