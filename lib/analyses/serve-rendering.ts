import "server-only";
import { eq } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { images } from "@/lib/db/schema";
import { getStored } from "@/lib/storage/content-store";
import { getVisibleImageSha } from "./queries";

/** A stored PNG rendering of an analysis' image, for people allowed to see the analysis. */
export async function renderingResponse(actor: Principal, analysisId: string, kind: "display" | "thumbnail"): Promise<Response> {
  const sha = await getVisibleImageSha(actor, analysisId);
  const png = await getStored(kind, sha);
  if (!png) throw await missingRendering(sha);
  return new Response(new Uint8Array(png), {
    headers: {
      "content-type": "image/png",
      // Content-addressed, but access-controlled: the browser may keep it, shared caches may not.
      "cache-control": "private, max-age=3600",
    },
  });
}

/** 410 when the site's retention rules removed the image on purpose (the findings stay); else 404. */
async function missingRendering(sha: string): Promise<AppError> {
  const [image] = await db.select({ removedAt: images.renderingsRemovedAt }).from(images).where(eq(images.sha256, sha)).limit(1);
  if (image?.removedAt) {
    return new AppError("gone", `The image of this analysis was removed on ${image.removedAt.toISOString().slice(0, 10)} under the site's retention rules; its findings are kept.`, {
      subcode: "image_removed",
    });
  }
  return new AppError("not_found", "The image of this analysis is no longer stored.");
}
