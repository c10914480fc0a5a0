import "server-only";
import path from "node:path";
import { env } from "@/lib/env";
import { loadModel, type LoadedModel } from "./engine";
import type { ExecutionProvider } from "./session";

// One loaded model per directory for the whole process: loaded lazily on first use, then kept warm and
// shared by all requests. Kept on globalThis so Next's dev hot reload does not load a second copy.

type Registry = Map<string, Promise<LoadedModel>>;
const KEY = Symbol.for("cxr-platform.inference.registry");
const holder = globalThis as unknown as Record<symbol, Registry | undefined>;
const registry: Registry = (holder[KEY] ??= new Map());
const lastFailure = new Map<string, string>();

/** The model in `dir` (default MODEL_DIR), loading it on first call. A failed load is retried next call. */
export function getModel(dir: string = env.MODEL_DIR): Promise<LoadedModel> {
  const key = path.resolve(dir);
  let entry = registry.get(key);
  if (!entry) {
    entry = loadModel(key);
    registry.set(key, entry);
    entry.then(
      () => lastFailure.delete(key),
      (err: Error) => {
        registry.delete(key);
        lastFailure.set(key, err.message);
      },
    );
  }
  return entry;
}

export interface ModelStatus {
  dir: string;
  state: "loading" | "ready" | "failed";
  name?: string;
  trained?: boolean;
  provider?: ExecutionProvider;
  fallbackReason?: string | null;
  error?: string;
}

/** For health output: the state of the default model without triggering a load. */
export async function modelStatus(dir: string = env.MODEL_DIR): Promise<ModelStatus | null> {
  const key = path.resolve(dir);
  const entry = registry.get(key);
  if (!entry) {
    const failure = lastFailure.get(key);
    return failure ? { dir: key, state: "failed", error: failure } : null;
  }
  const pending = Symbol("pending");
  const settled = await Promise.race([entry.catch((e: Error) => e), Promise.resolve(pending)]);
  if (settled === pending) return { dir: key, state: "loading" };
  if (settled instanceof Error) return { dir: key, state: "failed", error: settled.message };
  const m = settled as LoadedModel;
  return { dir: key, state: "ready", name: m.manifest.name, trained: m.manifest.trained, provider: m.provider, fallbackReason: m.fallbackReason };
}

/** Close every loaded model (tests, graceful shutdown). */
export async function closeAllModels(): Promise<void> {
  const entries = [...registry.values()];
  registry.clear();
  await Promise.all(entries.map((e) => e.then((m) => m.close()).catch(() => undefined)));
}
