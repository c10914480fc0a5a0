import "server-only";
import { sql } from "drizzle-orm";
import { db, dbKind } from "@/lib/db/client";
import { getModel, modelStatus, readManifest } from "@/lib/inference";
import { errorSummary, logger } from "@/lib/log";
import { env } from "@/lib/env";
import { setModelInfo } from "@/lib/metrics";
import { attachedWorkers } from "@/lib/queue/worker-registry";
import { classifierDir } from "@/lib/inference/classifier-choice";

export interface Readiness {
  ready: boolean;
  database: { ok: boolean; kind: string };
  model: { ok: boolean; state: "ready" | "loading" | "failed"; name?: string; version?: string; trained?: boolean; provider?: string };
  /** Analysis workers with a recent heartbeat, in any process. Without one, uploads wait in the queue. */
  workers: { attached: boolean; count: number; inThisProcess: boolean };
}

const MODEL_WAIT_MS = 2_000;

async function checkDatabase(): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch (error) {
    logger.error({ err: errorSummary(error) }, "readiness: database unreachable");
    return false;
  }
}

/**
 * A process without a worker never runs the model: it reports the installed model from its manifest
 * instead of loading it (about 140 MB of memory it would keep for nothing); the workers load their own.
 */
async function installedModel(): Promise<Readiness["model"]> {
  try {
    const manifest = await readManifest(await classifierDir());
    return { ok: true, state: "ready", name: manifest.name, version: manifest.version, trained: manifest.trained };
  } catch {
    return { ok: false, state: "failed" };
  }
}

/** Starts loading the model if nobody has yet, waits briefly, and reports where it stands. */
async function checkModel(): Promise<Readiness["model"]> {
  if (!env.WORKERS_IN_WEB) return installedModel();
  const loading = classifierDir().then((dir) => getModel(dir));
  const outcome = await Promise.race([
    loading.then(
      (m) => ({ state: "ready" as const, m }),
      () => ({ state: "failed" as const }),
    ),
    new Promise<{ state: "loading" }>((r) => setTimeout(() => r({ state: "loading" }), MODEL_WAIT_MS).unref()),
  ]);
  if (outcome.state === "ready") {
    const { manifest, provider } = outcome.m;
    setModelInfo({ name: manifest.name, version: manifest.version, trained: manifest.trained, provider });
    return { ok: true, state: "ready", name: manifest.name, version: manifest.version, trained: manifest.trained, provider };
  }
  if (outcome.state === "failed") {
    logger.error({ reason: (await modelStatus())?.error }, "readiness: model failed to load");
  }
  return { ok: false, state: outcome.state };
}

async function checkWorkers(): Promise<number> {
  try {
    return (await attachedWorkers()).length;
  } catch {
    return 0;
  }
}

/**
 * Ready when the database answers and, where this process analyses (WORKERS_IN_WEB), the model is
 * loaded. Whether any worker is attached is reported, not required: uploads are accepted and wait.
 */
export async function readiness(): Promise<Readiness> {
  const [database, model, workers] = await Promise.all([checkDatabase(), checkModel(), checkWorkers()]);
  return {
    ready: database && (model.ok || !env.WORKERS_IN_WEB),
    database: { ok: database, kind: dbKind() },
    model,
    workers: { attached: workers > 0, count: workers, inThisProcess: env.WORKERS_IN_WEB },
  };
}
