import "server-only";
import { AppError } from "@/lib/core/errors";
import type { Principal } from "@/lib/auth/principal";
import { getStored } from "@/lib/storage/content-store";
import { getVisibleImageSha } from "./queries";

/** A stored PNG rendering of an analysis' image, for people allowed to see the analysis. */
export async function renderingResponse(actor: Principal, analysisId: string, kind: "display" | "thumbnail"): Promise<Response> {
  const sha = await getVisibleImageSha(actor, analysisId);
  const png = await getStored(kind, sha);
  if (!png) throw new AppError("not_found", "The image of this analysis is no longer stored.");
  return new Response(new Uint8Array(png), {
    headers: {
      "content-type": "image/png",
      // Content-addressed, but access-controlled: the browser may keep it, shared caches may not.
      "cache-control": "private, max-age=3600",
    },
  });
}
