import { analyseUploads } from "@/lib/analyses/upload";
import { requireInferenceRoom } from "@/lib/api/admission";
import { readUploadedFiles } from "@/lib/api/multipart";
import { defineRoute } from "@/lib/api/route";
import { v1Operations } from "@/lib/api/v1/operations";
import { listV1Analyses, loadV1Analyses } from "@/lib/api/v1/queries";
import { v1Auth, v1Json } from "@/lib/api/v1/route-support";
import { Analysis, AnalysisBatch, AnalysisListQuery, AnalysisPage } from "@/lib/api/v1/schemas";

export const GET = defineRoute({ ...v1Auth(v1Operations.listAnalyses), query: AnalysisListQuery }, async ({ principal, query }) =>
  v1Json(AnalysisPage, await listV1Analyses(principal, query)),
);

export const POST = defineRoute(
  {
    ...v1Auth(v1Operations.createAnalyses),
    rateLimited: true,
    // Refuse before reading a large body when no place is free.
    before: requireInferenceRoom,
  },
  async ({ req, principal }) => {
    const files = await readUploadedFiles(req);
    const { created, failed } = await analyseUploads({ actor: principal, files, headers: req.headers, instance: new URL(req.url).pathname });
    const analyses = await loadV1Analyses(created.map((c) => c.id));
    if (files.length === 1) return v1Json(Analysis, analyses[0], 201);
    return v1Json(AnalysisBatch, { analyses, failed }, 201);
  },
);
