import { defineRoute } from "@/lib/api/route";
import { v1Operations } from "@/lib/api/v1/operations";
import { listV1Analyses } from "@/lib/api/v1/queries";
import { v1Auth, v1Json } from "@/lib/api/v1/route-support";
import { createV1Analyses } from "@/lib/api/v1/upload";
import { AnalysisListQuery, AnalysisPage } from "@/lib/api/v1/schemas";
import { requireQueueRoom } from "@/lib/queue/depth";

export const GET = defineRoute({ ...v1Auth(v1Operations.listAnalyses), query: AnalysisListQuery }, async ({ principal, query }) =>
  v1Json(AnalysisPage, await listV1Analyses(principal, query)),
);

export const POST = defineRoute(
  {
    ...v1Auth(v1Operations.createAnalyses),
    // Refuse before reading a large body when the queue is full.
    before: requireQueueRoom,
  },
  async ({ req, principal }) => createV1Analyses(req, principal),
);
