import { createAnalysis } from "@/lib/analyses/create-analysis";
import { AppError } from "@/lib/api/errors";
import { defaultUploadLimits, readLimited } from "@/lib/api/multipart";
import { enforceRateLimit } from "@/lib/api/rate-limit";
import { defineRoute } from "@/lib/api/route";
import { stowRequestParts } from "@/lib/dicomweb/stow-request";
import { receiveInstances } from "@/lib/dicomweb/receive-instances";
import { storeResponse } from "@/lib/dicomweb/store-response";

/**
 * STOW-RS (PS3.18 10.5): a PACS or router stores chest radiographs here and each instance becomes an
 * analysis. The answer is the Store Instances Response, one entry per instance.
 */
export const POST = defineRoute(
  { auth: "apiKey", roles: ["admin", "radiologist"], scopes: ["analyses:write"], before: enforceRateLimit },
  async ({ req, principal }) => {
    const parts = stowRequestParts(req.headers.get("content-type"), Buffer.from(await readLimited(req, defaultUploadLimits().maxRequestBytes)));
    const outcome = await receiveInstances(parts, (bytes) =>
      createAnalysis({ actor: principal, fileName: "dicomweb-instance.dcm", bytes, headers: req.headers }),
    );
    const { status, body } = storeResponse(outcome.stored, outcome.failed);
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/dicom+json", "cache-control": "no-store" } });
  },
);

export const GET = defineRoute({ auth: "apiKey" }, () => {
  throw new AppError("method_not_allowed", "This DICOMweb endpoint only stores instances (STOW-RS): send them with POST.");
});
