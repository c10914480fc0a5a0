import { acceptUpload } from "@/lib/uploads/accept-upload";
import { defaultUploadLimits, readLimited } from "@/lib/uploads/multipart";
import { defineRoute } from "@/lib/api/route";
import { v1Auth } from "@/lib/api/v1/route-support";
import { admitInstances } from "@/lib/dicomweb/stow-limits";
import { stowRequestParts } from "@/lib/dicomweb/stow-request";
import { receiveInstances } from "@/lib/dicomweb/receive-instances";
import { storeResponse } from "@/lib/dicomweb/store-response";
import { refuseKnownOverLimit } from "@/lib/api/rate-limit";

/**
 * STOW-RS (PS3.18 10.5): a PACS or router stores chest radiographs here and each instance becomes a
 * queued analysis. The answer is the Store Instances Response, one entry per instance, as soon as the
 * instances are stored and queued.
 */
export const POST = defineRoute(
  // The v1 API's terms: staff-owned API keys, the analyses:write scope. The rate limit and the queue
  // count instances, not requests, so they are charged once the body says how many it holds.
  {
    ...v1Auth({ scopes: ["analyses:write"] }),
    rateLimited: false,
    before: ({ req }) => refuseKnownOverLimit(req),
  },
  async ({ req, principal }) => {
    const parts = stowRequestParts(req.headers.get("content-type"), Buffer.from(await readLimited(req, defaultUploadLimits().maxRequestBytes)));
    await admitInstances({ req, principal }, parts.length);
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
