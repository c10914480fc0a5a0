import "server-only";
import path from "node:path";
import { loadModel, type LoadedModel } from "./engine";
import { servingModelDir } from "./precision-choice";
import type { ExecutionProvider } from "./session";

// One loaded model per directory for the whole process: loaded lazily on first use, then kept warm and
// shared by all requests. Kept on globalThis so Next's dev hot reload does not load a second copy.

interface Entry {
  promise: Promise<LoadedModel>;
  model?: LoadedModel;
  error?: Error;
}
type Registry = Map<string, Entry>;
const KEY = Symbol.for("cxr-platform.inference.registry");
const holder = globalThis as unknown as Record<symbol, Registry | undefined>;
const registry: Registry = (holder[KEY] ??= new Map());

/** The model in `dir` (default MODEL_DIR), loading it on first call. A failed load is retried next call. */
export function getModel(dir: string = servingModelDir()): Promise<LoadedModel> {
  const key = path.resolve(dir);
  const existing = registry.get(key);
  if (existing && !existing.error) return existing.promise;
  const entry: Entry = { promise: loadModel(key) };
  registry.set(key, entry);
  entry.promise.then(
    (model) => (entry.model = model),
    (err: Error) => (entry.error = err),
  );
  return entry.promise;
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

/** For health output: the state of a model (default MODEL_DIR) without triggering a load. */
export function modelStatus(dir: string = servingModelDir()): ModelStatus | null {
  const key = path.resolve(dir);
  const entry = registry.get(key);
  if (!entry) return null;
  if (entry.error) return { dir: key, state: "failed", error: entry.error.message };
  const m = entry.model;
  if (!m) return { dir: key, state: "loading" };
  return { dir: key, state: "ready", name: m.manifest.name, trained: m.manifest.trained, provider: m.provider, fallbackReason: m.fallbackReason };
}

/** Close every loaded model (tests, graceful shutdown). */
export async function closeAllModels(): Promise<void> {
  const entries = [...registry.values()];
  registry.clear();
  await Promise.all(entries.map((e) => e.promise.then((m) => m.close()).catch(() => undefined)));
}
