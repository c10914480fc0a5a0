import "server-only";
import { count, sql } from "drizzle-orm";
import { db, dbKind } from "@/lib/db/client";
import { analyses, apiKeys, users } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { getModel, modelStatus, readManifest } from "@/lib/inference";
import { classifierDir } from "@/lib/inference/classifier-choice";
import { storageLocation } from "@/lib/storage/content-store";
import { queueStatus, type QueueStatus } from "@/lib/queue/status";

export interface SystemInfo {
  model: {
    state: "ready" | "loading" | "failed" | "not loaded" | "missing";
    name: string | null;
    version: string | null;
    trained: boolean | null;
    /** The provider in use once loaded; until then null and `configuredProvider` says what was asked for. */
    provider: string | null;
    configuredProvider: string;
    /** Why CUDA was not used when it was asked for. */
    fallbackReason: string | null;
    dir: string;
  };
  /** Null when the database cannot be read. */
  queue: QueueStatus | null;
  database: { kind: string; ok: boolean };
  storage: { kind: "local" | "s3"; where: string };
  counts: { users: number; activeAdmins: number; analyses: number; activeApiKeys: number };
  limits: { perKeyPerMinute: number; perIpPerMinute: number; maxFiles: number; maxUploadMb: number; maxRequestMb: number; metricsToken: boolean };
  runtime: { node: string; uptimeSeconds: number };
}

async function modelInfo(): Promise<SystemInfo["model"]> {
  const dir = await classifierDir();
  const status = modelStatus(dir);
  if (status?.state === "ready") {
    const m = await getModel(dir);
    return { state: "ready", name: m.manifest.name, version: m.manifest.version, trained: m.manifest.trained, provider: m.provider, configuredProvider: env.EXECUTION_PROVIDER, fallbackReason: m.fallbackReason, dir };
  }
  // Not loaded (yet): show what is installed without loading it from an admin page view.
  const manifest = await readManifest(dir).catch(() => null);
  return {
    state: status?.state ?? (manifest ? "not loaded" : "missing"),
    name: manifest?.name ?? null,
    version: manifest?.version ?? null,
    trained: manifest?.trained ?? null,
    provider: null,
    configuredProvider: env.EXECUTION_PROVIDER,
    fallbackReason: null,
    dir,
  };
}

async function counts(): Promise<SystemInfo["counts"] & { ok: boolean }> {
  try {
    const [[u], [a], [k], [admins]] = await Promise.all([
      db.select({ n: count() }).from(users),
      db.select({ n: count() }).from(analyses),
      db.select({ n: count() }).from(apiKeys).where(sql`${apiKeys.revokedAt} is null and (${apiKeys.expiresAt} is null or ${apiKeys.expiresAt} > now())`),
      db.select({ n: count() }).from(users).where(sql`${users.role} = 'admin' and not ${users.disabled}`),
    ]);
    return { ok: true, users: u.n, analyses: a.n, activeApiKeys: k.n, activeAdmins: admins.n };
  } catch {
    return { ok: false, users: 0, analyses: 0, activeApiKeys: 0, activeAdmins: 0 };
  }
}

export async function systemInfo(): Promise<SystemInfo> {
  const [model, c, queue] = await Promise.all([modelInfo(), counts(), queueStatus().catch(() => null)]);
  const { ok, ...rest } = c;
  return {
    model,
    queue,
    database: { kind: dbKind(), ok },
    storage: storageLocation(),
    counts: rest,
    limits: {
      perKeyPerMinute: env.RATE_LIMIT_PER_KEY,
      perIpPerMinute: env.RATE_LIMIT_PER_IP,
      maxFiles: env.API_MAX_FILES,
      maxUploadMb: env.MAX_UPLOAD_MB,
      maxRequestMb: env.MAX_REQUEST_MB,
      metricsToken: Boolean(env.METRICS_TOKEN),
    },
    runtime: { node: process.version, uptimeSeconds: Math.round(process.uptime()) },
  };
}
