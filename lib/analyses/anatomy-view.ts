import "server-only";
import { eq } from "drizzle-orm";
import { outlinesOf } from "@/lib/anatomy/outline-set";
import type { AnatomyView, AnatomyViewStatus } from "@/lib/anatomy/view-types";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { images } from "@/lib/db/schema";
import { anatomyState, findAnatomy } from "./anatomy-store";
import { getVisibleImageSha } from "./queries";

// An analysis's anatomy as the viewer and the API read it: the stored summary (measured CTR and its two
// lines on the film, projection and AP note, finding zones), each structure's outlines traced from the
// packed masks in film pixels, and on request the packed masks themselves. Same visibility as the
// analysis (a 404 otherwise).

export type { AnatomyView, AnatomyViewStatus };

export async function getAnatomyView(actor: Principal, analysisId: string, options: { masks?: boolean } = {}): Promise<AnatomyView> {
  const sha = await getVisibleImageSha(actor, analysisId);
  const [film] = await db.select({ width: images.width, height: images.height }).from(images).where(eq(images.sha256, sha)).limit(1);
  const size = { width: film?.width ?? 0, height: film?.height ?? 0 };
  const stored = await findAnatomy(analysisId, { withMasks: true });
  const base = { analysisId, measuredBy: "software" as const, film: size, findingZones: {}, projection: null, apNote: null, ctr: null, lines: null, model: null, structures: [] };
  if (!stored) {
    const state = await anatomyState(analysisId);
    return { ...base, status: state?.status ?? "not_requested", reason: state?.reason ?? null };
  }
  const { summary, masks } = stored;
  const modelSize = masks ? Math.round(Math.sqrt((masks.length * 8) / summary.targets.length)) : 0;
  const outlines = masks ? outlinesOf(masks, summary.targets.length, modelSize, size) : summary.targets.map(() => []);
  return {
    ...base,
    status: "completed",
    reason: null,
    model: summary.model,
    ctr: summary.ctr,
    lines: summary.film,
    projection: summary.projection ?? null,
    apNote: summary.apNote ?? null,
    findingZones: summary.findingZones ?? {},
    structures: summary.targets.map((name, i) => ({ name, pixels: summary.maskPixels[i] ?? 0, outlines: outlines[i] })),
    ...(options.masks && masks ? { masks: { encoding: "packbits" as const, size: modelSize, targets: summary.targets.length, base64: Buffer.from(masks).toString("base64") } } : {}),
  };
}
