import { defineRoute } from "@/lib/api/route";
import { v1Operations } from "@/lib/api/v1/operations";
import { listV1Analyses } from "@/lib/api/v1/queries";
import { v1Auth, v1Json } from "@/lib/api/v1/route-support";
import { AnalysisListQuery, AnalysisPage } from "@/lib/api/v1/schemas";

export const GET = defineRoute({ ...v1Auth(v1Operations.listAnalyses), query: AnalysisListQuery }, async ({ principal, query }) =>
  v1Json(AnalysisPage, await listV1Analyses(principal, query)),
);
