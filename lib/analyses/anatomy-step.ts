import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { findingZone, lungsFromPacked } from "@/lib/anatomy/finding-zones";
import { runAnatomy, type AnatomySummary } from "@/lib/anatomy/run-models";
import { db } from "@/lib/db/client";
import { analyses, analysisCams, findings } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { decodeImage, isImagingError, returnPixelBuffer } from "@/lib/imaging";
import { getZooModel } from "@/lib/inference/zoo-registry";
import { getStored } from "@/lib/storage/content-store";
import { anatomyState, saveAnatomy } from "./anatomy-store";

// One segmentation: the stored original of a completed analysis, decoded again (the image threads keep
// nothing between jobs), through the anatomy model; the summary (CTR, film lines, mask counts, each
// positive finding's lung zone) and the packed masks are saved. Running it twice writes the same row.

export type AnatomyRunOutcome =
  | { kind: "saved"; summary: AnatomySummary }
  /** Nothing to do: the analysis is gone, not completed, or its row is no longer queued. */
  | { kind: "nothing" }
  /** The film cannot be segmented (its original is gone or no longer decodes): retrying cannot help. */
  | { kind: "unusable"; reason: string };

export async function runAnatomyFor(analysisId: string): Promise<AnatomyRunOutcome> {
  const state = await anatomyState(analysisId);
  if (!state || state.status === "skipped" || !env.ANATOMY_MODEL_DIR) return { kind: "nothing" };
  const [row] = await db
    .select({ sha256: analyses.imageSha256, fileName: analyses.fileName })
    .from(analyses)
    .where(and(eq(analyses.id, analysisId), eq(analyses.status, "completed")))
    .limit(1);
  if (!row) return { kind: "nothing" };
  const bytes = await getStored("original", row.sha256);
  if (!bytes) return { kind: "unusable", reason: "The original film is no longer stored." };
  let decoded;
  try {
    // The gates ran with the findings; here only the pixels are wanted.
    decoded = await decodeImage(bytes, { fileName: row.fileName, qualityGates: "warn" });
  } catch (error) {
    if (isImagingError(error)) return { kind: "unusable", reason: "The film could not be decoded for segmentation." };
    throw error;
  }
  const model = await getZooModel(env.ANATOMY_MODEL_DIR, "anatomy");
  const { summary, result } = await runAnatomy(model, decoded);
  returnPixelBuffer(decoded.pixels);
  summary.findingZones = await zonesOf(analysisId, result.packed, result.size);
  await saveAnatomy(analysisId, summary, result.packed);
  return { kind: "saved", summary };
}

/** Each positive finding's heatmap peak by lung zone (the CAM's class index is the finding's position). */
async function zonesOf(analysisId: string, packed: Uint8Array, size: number): Promise<Record<string, string | null>> {
  const positives = await db
    .select({ label: findings.label, position: findings.position })
    .from(findings)
    .where(and(eq(findings.analysisId, analysisId), eq(findings.positive, true)))
    .orderBy(asc(findings.position));
  const [cam] = await db.select().from(analysisCams).where(eq(analysisCams.analysisId, analysisId)).limit(1);
  if (positives.length === 0 || !cam) return {};
  const lungs = lungsFromPacked(packed, size);
  const out: Record<string, string | null> = {};
  for (const f of positives) out[f.label] = findingZone({ data: cam.data, shape: cam.shape }, f.position, lungs, size)?.label ?? null;
  return out;
}
