import { acceptUpload } from "@/lib/uploads/accept-upload";
import { defaultUploadLimits, readLimited } from "@/lib/uploads/multipart";
import { defineRoute } from "@/lib/api/route";
import { v1Auth } from "@/lib/api/v1/route-support";
import { stowRequestParts } from "@/lib/dicomweb/stow-request";
import { receiveInstances } from "@/lib/dicomweb/receive-instances";
import { storeResponse } from "@/lib/dicomweb/store-response";
import { enforceRateLimit } from "@/lib/api/rate-limit";
import { requireQueueRoom } from "@/lib/queue/depth";

/**
 * STOW-RS (PS3.18 10.5): a PACS or router stores chest radiographs here and each instance becomes a
 * queued analysis. The answer is the Store Instances Response, one entry per instance, as soon as the
 * instances are stored and queued.
 */
export const POST = defineRoute(
  // The v1 API's terms: staff-owned API keys, the analyses:write scope, the same rate limits.
  {
    ...v1Auth({ scopes: ["analyses:write"] }),
    before: async (ctx) => {
      enforceRateLimit(ctx);
      await requireQueueRoom();
    },
  },
  async ({ req, principal }) => {
    const parts = stowRequestParts(req.headers.get("content-type"), Buffer.from(await readLimited(req, defaultUploadLimits().maxRequestBytes)));
    const outcome = await receiveInstances(parts, async (bytes, inTransaction) => {
      const { ids } = await acceptUpload({ actor: principal, files: [{ fileName: "dicomweb-instance.dcm", bytes }], headers: req.headers, inTransaction });
      return { id: ids[0] };
    });
    const { status, body, retryAfterSeconds } = storeResponse(outcome.stored, outcome.failed);
    const headers: Record<string, string> = { "content-type": "application/dicom+json", "cache-control": "no-store" };
    if (retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
    return new Response(JSON.stringify(body), { status, headers });
  },
);
