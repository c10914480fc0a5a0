import "server-only";
import { AppError } from "@/lib/core/errors";
import { enforceRateLimit } from "@/lib/api/rate-limit";
import type { Principal } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import { requireQueueRoomFor } from "@/lib/queue/depth";

// What one STOW-RS request may bring: at most API_MAX_FILES instances (the v1 upload's file limit), each
// counted against the caller's rate limit and the queue's room as if it came in a request of its own.
// One charge per request, for all its instances, awaited before any instance is stored.

/** Refuses the whole request (413, 429 or 503) unless all `count` instances fit; nothing is stored then. */
export async function admitInstances(ctx: { req: Request; principal: Principal }, count: number): Promise<void> {
  if (count > env.API_MAX_FILES) {
    throw new AppError(
      "payload_too_large",
      `A STOW-RS request may hold at most ${env.API_MAX_FILES} instances; this one holds ${count}. Send them in several requests.`,
      { subcode: "too_many_instances", detail: { maxInstances: env.API_MAX_FILES, instances: count } },
    );
  }
  await enforceRateLimit(ctx, Date.now(), count);
  await requireQueueRoomFor(count);
}
