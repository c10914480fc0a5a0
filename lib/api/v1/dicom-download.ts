import "server-only";
import { AppError } from "@/lib/core/errors";
import { uuidParam } from "@/lib/core/uuid-param";
import { getV1Analysis } from "@/lib/api/v1/queries";
import { recordAudit } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/principal";
import { encodeMultipartRelated } from "@/lib/dicomweb/multipart-related";
import { latestSignedVersion, loadResult } from "@/lib/pacs/load-result";
import { secondaryCaptures, structuredReport } from "@/lib/pacs/result-instances";
import type { WrittenInstance } from "@/lib/pacs/sr-document";

// The DICOM results as downloads for API clients: the SR (verified once signed off) and the
// Secondary Captures. Who took which result out of the app is audited.

const HEADERS = { "cache-control": "private, no-store", "x-content-type-options": "nosniff" };

async function visibleAnalysisId(principal: Principal, params: Record<string, string>): Promise<string> {
  // Through the v1 read, so that what a key may not see is a 404 here too.
  return (await getV1Analysis(principal, uuidParam(params, "analysis"))).id;
}

function dicomResponse(instance: WrittenInstance, name: string): Response {
  return new Response(new Uint8Array(instance.bytes), {
    headers: { ...HEADERS, "content-type": "application/dicom", "content-disposition": `attachment; filename="${name}.dcm"` },
  });
}

const audit = (principal: Principal, analysisId: string, format: string, headers: Headers, extra: Record<string, unknown> = {}) =>
  recordAudit({ actor: principal, action: "analysis.export", targetType: "analysis", targetId: analysisId, details: { format, ...extra }, headers });

export async function srDownload(principal: Principal, params: Record<string, string>, headers: Headers): Promise<Response> {
  const id = await visibleAnalysisId(principal, params);
  const version = await latestSignedVersion(id);
  const sr = structuredReport(await loadResult(id, version));
  await audit(principal, id, "dicom-sr", headers, { reviewVersion: version });
  return dicomResponse(sr, version ? "ai-result-verified" : "ai-result");
}

export async function scDownload(principal: Principal, params: Record<string, string>, finding: string | undefined, headers: Headers): Promise<Response> {
  const id = await visibleAnalysisId(principal, params);
  const scs = await secondaryCaptures(await loadResult(id), finding);
  if (scs.length === 0) {
    throw new AppError("not_found", finding ? `No heatmap capture for "${finding}": it is not a positive finding of this analysis.` : "This analysis has no positive finding, so no heatmap capture.");
  }
  await audit(principal, id, "dicom-sc", headers, { instances: scs.length });
  if (finding) return dicomResponse(scs[0], "ai-heatmap");
  const { body, contentType } = encodeMultipartRelated(scs.map((s) => s.bytes), "application/dicom");
  return new Response(new Uint8Array(body), { headers: { ...HEADERS, "content-type": contentType } });
}
