import "server-only";
import { waitForFinished } from "@/lib/analyses/completion";
import { bodyEtag, ifNoneMatch } from "@/lib/api/etag";
import { recordAudit } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/principal";
import { measuredPace, retryAfterFor } from "@/lib/queue/pace";
import { preferredWaitSeconds } from "@/lib/uploads/upload-preferences";
import { notePollAnswer } from "./poll-pace";
import { getV1Analysis } from "./queries";
import { v1Json } from "./route-support";
import { AnalysisDetail } from "./schemas";

// GET /api/v1/analyses/{id}. A finished analysis carries an ETag (If-None-Match answers 304); an
// unfinished one carries Retry-After from its place in line and the measured pace (asking sooner is
// answered 429 from memory: ./poll-pace.ts). `Prefer: wait=N` (RFC 7240, N at most 60) holds the answer
// until the analysis finishes or N seconds pass, woken by the finishing worker's notification
// (lib/analyses/completion.ts) rather than by polling, then answers with what the analysis is then.

const unfinished = (status: string) => status === "queued" || status === "processing";

export async function readV1Analysis(req: Request, principal: Principal, id: string): Promise<Response> {
  const wait = preferredWaitSeconds(req.headers);
  // Read first: an unknown or another owner's id is a 404 at once, never a held connection.
  let analysis = await getV1Analysis(principal, id);
  if (wait > 0 && unfinished(analysis.status)) {
    await waitForFinished([analysis.id], wait * 1000, { mayHaveFinished: true });
    analysis = await getV1Analysis(principal, id);
  }
  await recordAudit({ actor: principal, action: "analysis.view", targetType: "analysis", targetId: analysis.id, details: { via: "api" }, headers: req.headers });
  const res = v1Json(AnalysisDetail, analysis);
  if (wait > 0) res.headers.set("preference-applied", `wait=${wait}`);
  if (analysis.status === "completed" || analysis.status === "failed") {
    // A finished analysis changes rarely (a review): an unchanged answer is a bodiless 304.
    const etag = await bodyEtag(res);
    const headers = new Headers(res.headers);
    headers.set("etag", etag);
    if (ifNoneMatch(req.headers, etag)) {
      headers.set("cache-control", "private, no-cache");
      headers.delete("content-type");
      return new Response(null, { status: 304, headers });
    }
    headers.set("cache-control", "private, no-cache, no-transform");
    return new Response(await res.text(), { status: res.status, headers });
  }
  if (unfinished(analysis.status)) {
    const seconds = retryAfterFor(analysis.queuePosition, await measuredPace());
    res.headers.set("retry-after", String(seconds));
    notePollAnswer(req, analysis.id, seconds);
  }
  return res;
}
