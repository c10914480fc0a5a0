import { defineRoute } from "@/lib/api/route";
import { v1Operations } from "@/lib/api/v1/operations";
import { notePollAnswer, refuseEarlyPoll } from "@/lib/api/v1/poll-pace";
import { getV1Analysis } from "@/lib/api/v1/queries";
import { uuidParam } from "@/lib/core/uuid-param";
import { v1Auth, v1Json } from "@/lib/api/v1/route-support";
import { AnalysisDetail } from "@/lib/api/v1/schemas";
import { recordAudit } from "@/lib/audit/record";
import { bodyEtag, ifNoneMatch } from "@/lib/api/etag";
import { measuredPace, retryAfterFor } from "@/lib/queue/pace";

export const GET = defineRoute(
  { ...v1Auth(v1Operations.getAnalysis), beforeAuth: (req, params) => refuseEarlyPoll(req, params.id ?? "") },
  async ({ params, principal, req }) => {
    const analysis = await getV1Analysis(principal, uuidParam(params, "analysis"));
    await recordAudit({ actor: principal, action: "analysis.view", targetType: "analysis", targetId: analysis.id, details: { via: "api" }, headers: req.headers });
    const res = v1Json(AnalysisDetail, analysis);
    if (analysis.status === "completed" || analysis.status === "failed") {
      // A finished analysis changes rarely (a review): an unchanged answer is a bodiless 304.
      const etag = await bodyEtag(res);
      if (ifNoneMatch(req.headers, etag)) return new Response(null, { status: 304, headers: { etag, "cache-control": "private, no-cache" } });
      const headers = new Headers(res.headers);
      headers.set("etag", etag);
      headers.set("cache-control", "private, no-cache, no-transform");
      return new Response(await res.text(), { status: res.status, headers });
    }
    if (analysis.status === "queued" || analysis.status === "processing") {
      const seconds = retryAfterFor(analysis.queuePosition, await measuredPace());
      res.headers.set("retry-after", String(seconds));
      notePollAnswer(req, analysis.id, seconds);
    }
    return res;
  },
);
