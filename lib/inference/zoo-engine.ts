import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { logger } from "@/lib/log";
import { ModelError } from "./errors";
import { MANIFEST_FILE } from "./manifest";
import { openModelSession } from "./engine";
import type { ExecutionProvider, SessionConfig, SessionLogger } from "./session";
import { ZooManifestSchema, type ZooManifest, type ZooTask } from "./zoo-manifest";

// A loaded anatomy or view model: one session (in its own worker thread, like the classifier's), one
// film at a time. These models are large per film (the PSPNet is ~0.5 TFLOP), so there is no batching.

export interface LoadedZooModel {
  dir: string;
  manifest: ZooManifest;
  provider: ExecutionProvider;
  loadMs: number;
  /** `logits` for one size x size input on the [-1024, 1024] scale. */
  run(input: Float32Array): Promise<Float32Array>;
  close(): Promise<void>;
}

export async function readZooManifest(dir: string, task?: ZooTask): Promise<ZooManifest> {
  const file = path.join(dir, MANIFEST_FILE);
  const text = await readFile(file, "utf8").catch(() => {
    throw new ModelError("MODEL_NOT_FOUND", `no model at ${dir} (${MANIFEST_FILE} is missing): convert one with \`npm run model:convert\``);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ModelError("MODEL_MANIFEST_INVALID", `${file} is not valid JSON`);
  }
  const parsed = ZooManifestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ModelError("MODEL_MANIFEST_INVALID", `${file} is not an anatomy or view model manifest: ${problems}`);
  }
  if (task && parsed.data.task !== task) throw new ModelError("MODEL_MANIFEST_INVALID", `${dir} holds the ${parsed.data.task} model, not the ${task} model`);
  return parsed.data;
}

export async function loadZooModel(dir: string, opts: Partial<SessionConfig> & { task?: ZooTask; log?: SessionLogger } = {}): Promise<LoadedZooModel> {
  const started = performance.now();
  const absDir = path.resolve(dir);
  const manifest = await readZooManifest(absDir, opts.task);
  const log = opts.log ?? logger.child({ module: "inference", model: manifest.name });
  const { session, provider } = await openModelSession(absDir, opts, log);
  const size = manifest.input.size;
  const pixels = size * size;
  const outCount = manifest.outputs.logits.shape.slice(1).reduce<number>((a, d) => a * (typeof d === "number" ? d : 1), 1);
  let closed = false;
  let chain: Promise<unknown> = Promise.resolve();
  const loadMs = performance.now() - started;
  log.info({ model: manifest.name, task: manifest.task, trained: manifest.trained, provider, loadMs: Math.round(loadMs) }, "model loaded");
  return {
    dir: absDir,
    manifest,
    provider,
    loadMs,
    run(input) {
      if (closed) return Promise.reject(new ModelError("MODEL_CLOSED", "the model was closed"));
      if (!(input instanceof Float32Array) || input.length !== pixels) {
        return Promise.reject(new ModelError("MODEL_INPUT_INVALID", `input must be a Float32Array of ${pixels} values (1x${size}x${size})`));
      }
      const result = chain.then(async () => {
        const out = await session.run(input, [1, 1, size, size]);
        const logits = out.logits;
        if (!logits || logits.length !== outCount) throw new ModelError("MODEL_RUNTIME", `the ${manifest.task} model returned ${logits?.length ?? 0} values, expected ${outCount}`);
        return logits;
      });
      chain = result.catch(() => undefined);
      return result;
    },
    async close() {
      if (closed) return;
      closed = true;
      await chain;
      await session.release();
    },
  };
}
