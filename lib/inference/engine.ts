import "server-only";
import { access } from "node:fs/promises";
import path from "node:path";
import { env } from "@/lib/env";
import { logger } from "@/lib/log";
import { BatchQueue } from "./batch-queue";
import { ModelError } from "./errors";
import { ONNX_FILE, type ModelManifest } from "./manifest";
import { readManifest } from "./model-dir";
import { createSession, type CreatedSession, type ExecutionProvider, type SessionConfig, type SessionLogger } from "./session";

// A loaded model: one warm session shared by every caller, fed through a batching queue.

export const MAX_BATCH = 8;

export interface ModelOutput {
  /** [numClasses] raw scores, model output order. */
  logits: Float32Array;
  /** [numClasses, h, w] class activation maps (classifier weights on relu(features), no bias). */
  cam: Float32Array;
}

export interface LoadedModel {
  dir: string;
  manifest: ModelManifest;
  provider: ExecutionProvider;
  fallbackReason: string | null;
  loadMs: number;
  /** One result per input (each input: size*size float32 on the [-1024, 1024] scale). */
  run(inputs: Float32Array[]): Promise<ModelOutput[]>;
  /** Batches run so far, for health output and tests. */
  stats(): { batches: number; items: number; largestBatch: number; queued: number };
  close(): Promise<void>;
}

export interface LoadOptions extends Partial<SessionConfig> {
  maxBatch?: number;
  log?: SessionLogger;
}

/**
 * The onnxruntime session of a model directory's graph, with the site's settings unless `opts` overrides
 * them: every model (the classifier, the anatomy and view models) is opened this one way.
 */
export async function openModelSession(absDir: string, opts: Partial<SessionConfig>, log: SessionLogger): Promise<CreatedSession> {
  const onnxPath = path.join(absDir, ONNX_FILE);
  await access(onnxPath).catch(() => {
    throw new ModelError("MODEL_NOT_FOUND", `${onnxPath} is missing; convert the model again`);
  });
  const cfg: SessionConfig = {
    executionProvider: opts.executionProvider ?? env.EXECUTION_PROVIDER,
    intraOpThreads: opts.intraOpThreads ?? env.ORT_INTRA_OP_THREADS,
    interOpThreads: opts.interOpThreads ?? env.ORT_INTER_OP_THREADS,
    allowSpinning: opts.allowSpinning ?? env.ORT_ALLOW_SPINNING,
  };
  try {
    return await createSession(onnxPath, cfg, log);
  } catch (err) {
    throw new ModelError("MODEL_RUNTIME", `onnxruntime cannot load ${onnxPath}: ${(err as Error).message}`, { cause: err });
  }
}

export async function loadModel(dir: string, opts: LoadOptions = {}): Promise<LoadedModel> {
  const started = performance.now();
  const absDir = path.resolve(dir);
  const manifest = await readManifest(absDir);
  const log = opts.log ?? logger.child({ module: "inference" });
  const { session, provider, fallbackReason } = await openModelSession(absDir, opts, log);

  const [, channels, height, width] = manifest.input.shape;
  const pixels = channels * height * width;
  const classes = manifest.architecture.numClasses;
  const [, , camH, camW] = manifest.outputs.cam.shape;
  const camSize = classes * camH * camW;

  const runBatch = async (items: Float32Array[]): Promise<ModelOutput[]> => {
    const n = items.length;
    const data = new Float32Array(n * pixels);
    items.forEach((x, i) => data.set(x, i * pixels));
    const out = await session.run(data, [n, channels, height, width]);
    const { logits, cam } = out;
    if (!logits || !cam) throw new ModelError("MODEL_RUNTIME", "the model did not return both logits and cam");
    return items.map((_, i) => ({
      logits: logits.slice(i * classes, (i + 1) * classes),
      cam: cam.slice(i * camSize, (i + 1) * camSize),
    }));
  };
  const queue = new BatchQueue<Float32Array, ModelOutput>(runBatch, opts.maxBatch ?? MAX_BATCH);

  // Warm-up: the first run plans memory and JIT-selects kernels; do it now, not on a user's request.
  await runBatch([new Float32Array(pixels)]);
  const loadMs = performance.now() - started;
  log.info({ model: manifest.name, trained: manifest.trained, provider, loadMs: Math.round(loadMs) }, "model loaded");

  let closed = false;
  return {
    dir: absDir,
    manifest,
    provider,
    fallbackReason,
    loadMs,
    async run(inputs) {
      if (closed) throw new ModelError("MODEL_CLOSED", "the model was closed");
      for (const [i, x] of inputs.entries()) {
        if (!(x instanceof Float32Array) || x.length !== pixels) {
          throw new ModelError("MODEL_INPUT_INVALID", `input ${i} must be a Float32Array of ${pixels} values (${channels}x${height}x${width})`);
        }
        for (let k = 0; k < x.length; k++) {
          if (!Number.isFinite(x[k])) throw new ModelError("MODEL_INPUT_INVALID", `input ${i} contains a non-finite value at ${k}`);
        }
      }
      return Promise.all(inputs.map((x) => queue.push(x)));
    },
    stats: () => ({ ...queue.stats, queued: queue.depth }),
    async close() {
      if (closed) return;
      closed = true;
      queue.close(new ModelError("MODEL_CLOSED", "the model was closed"));
      await queue.whenIdle(); // never release the session under a running batch
      await session.release();
    },
  };
}
