import { z } from "zod";
import { waitForFinished } from "@/lib/analyses/completion";
import { analysisFailure } from "@/lib/analyses/failure";
import { listHistory } from "@/lib/analyses/queries";
import { acceptUploadRequest } from "@/lib/uploads/accept-upload-request";
import { defineRoute } from "@/lib/api/route";
import { preferredWaitSeconds } from "@/lib/uploads/upload-preferences";
import { uploadStates } from "@/lib/uploads/upload-states";
import { STAFF_ROLES } from "@/lib/core/roles";
import { requireQueueRoom } from "@/lib/queue/depth";

const UploadQuery = z.object({ purpose: z.enum(["clinical", "validation"]).default("clinical") });

/**
 * Browser upload: one file per request (the page sends files in parallel to show progress per file).
 * Answers 202 once the file is stored and queued; the page follows it through /api/analyses/progress.
 * With `Prefer: wait=N` it answers when the analysis finished (201, or the file's problem) or after N s.
 * `?purpose=validation` files a validation set's film apart from clinical work (lib/analyses/purpose.ts).
 */
export const POST = defineRoute(
  {
    auth: "session",
    roles: STAFF_ROLES,
    rateLimited: true,
    query: UploadQuery,
    // Refuse before reading a large body when the queue is full.
    before: requireQueueRoom,
  },
  async ({ req, principal, query }) => {
    const outcome = await acceptUploadRequest(req, principal, { purpose: query.purpose });
    const wait = preferredWaitSeconds(req.headers);
    const finished = wait > 0 && (await waitForFinished(outcome.ids, wait * 1000, { mayHaveFinished: outcome.replayed || outcome.alreadyReceived.length > 0 }));
    // Without waiting, the answer is what was just written; after a wait, what the analyses are now.
    const rows = wait === 0 && outcome.created ? outcome.created.map((w) => w.analysis) : await uploadStates(outcome.ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const created = outcome.ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
    const failed = created.find((a) => a.status === "failed");
    if (finished && failed && outcome.fileCount === 1) throw analysisFailure(failed);
    const allCompleted = finished && created.every((a) => a.status === "completed");
    const received = new Set(outcome.alreadyReceived);
    // A DICOM instance received before is answered with its analysis (200 when that is the whole answer).
    const onlyReceived = created.length > 0 && created.every((a) => received.has(a.id));
    return Response.json(
      {
        analyses: created.map((a) => ({
          id: a.id,
          fileName: a.fileName,
          status: a.status,
          error: a.status === "failed" ? a.error : null,
          alreadyReceived: received.has(a.id),
        })),
      },
      { status: onlyReceived ? 200 : allCompleted ? 201 : 202 },
    );
  },
);

const ListQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const GET = defineRoute({ auth: "session", roles: STAFF_ROLES, query: ListQuery }, async ({ principal, query }) =>
  listHistory(principal, query.page, query.pageSize),
);
