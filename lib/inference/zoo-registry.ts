import "server-only";
import path from "node:path";
import { loadZooModel, type LoadedZooModel } from "./zoo-engine";
import type { ZooTask } from "./zoo-manifest";

// The anatomy and view models of this process, one per directory, loaded on first use and kept warm
// (like the classifier's registry.ts). A failed load is retried on the next call.

const KEY = Symbol.for("cxr-platform.inference.zoo-registry");
const holder = globalThis as unknown as Record<symbol, Map<string, Promise<LoadedZooModel>> | undefined>;
const registry: Map<string, Promise<LoadedZooModel>> = (holder[KEY] ??= new Map());

export function getZooModel(dir: string, task: ZooTask): Promise<LoadedZooModel> {
  const key = `${task}:${path.resolve(dir)}`;
  let p = registry.get(key);
  if (!p) {
    p = loadZooModel(dir, { task });
    registry.set(key, p);
    p.catch(() => registry.delete(key));
  }
  return p;
}

export async function closeZooModels(): Promise<void> {
  const all = [...registry.values()];
  registry.clear();
  await Promise.all(all.map((p) => p.then((m) => m.close()).catch(() => undefined)));
}
