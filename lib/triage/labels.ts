import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { findings } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { readManifest } from "@/lib/inference/model-dir";

/**
 * Labels a threshold can be set for: the installed model's labels (so a site can configure before the
 * first upload), then any other label stored analyses report (e.g. from a previously installed model).
 */
export async function knownLabels(): Promise<string[]> {
  let fromModel: string[] = [];
  try {
    fromModel = (await readManifest(env.MODEL_DIR)).labels.filter((l) => l !== "");
  } catch {
    // No model installed yet (or unreadable): the stored findings still say which labels exist.
  }
  const rows = await db
    .select({ label: findings.label, position: sql<number>`min(${findings.position})::int` })
    .from(findings)
    .groupBy(findings.label);
  const stored = rows.sort((a, b) => a.position - b.position).map((r) => r.label);
  return [...new Set([...fromModel, ...stored])];
}
