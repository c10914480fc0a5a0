import { createAnalysis } from "@/lib/analyses/create-analysis";
import { requireInferenceRoom } from "@/lib/api/admission";
import { AppError } from "@/lib/api/errors";
import { readUploadedFiles } from "@/lib/api/multipart";
import { enforceRateLimit } from "@/lib/api/rate-limit";
import { defineRoute } from "@/lib/api/route";
import { v1Operations } from "@/lib/api/v1/operations";
import { listV1Analyses } from "@/lib/api/v1/queries";
import { v1Auth, v1Json } from "@/lib/api/v1/route-support";
import { analyseUploads } from "@/lib/api/v1/upload";
import { Analysis, AnalysisBatch, AnalysisListQuery, AnalysisPage } from "@/lib/api/v1/schemas";

export const GET = defineRoute({ ...v1Auth(v1Operations.listAnalyses), query: AnalysisListQuery }, async ({ principal, query }) =>
  v1Json(AnalysisPage, await listV1Analyses(principal, query)),
);

export const POST = defineRoute(
  {
    ...v1Auth(v1Operations.createAnalyses),
    before: (ctx) => {
      enforceRateLimit(ctx);
      // Refuse before reading a large body when no place is free.
      requireInferenceRoom();
    },
  },
  async ({ req, principal }) => {
    const instance = new URL(req.url).pathname;
    const files = await readUploadedFiles(req);
    const outcome = await analyseUploads(
      files,
      async (file) => createAnalysis({ actor: principal, fileName: file.name, bytes: Buffer.from(await file.arrayBuffer()), headers: req.headers }),
      instance,
    );
    if (files.length === 1) return v1Json(Analysis, outcome.analyses[0], 201);
    if (outcome.analyses.length === 0) {
      throw new AppError("unprocessable", `None of the ${files.length} files could be analysed.`, {
        subcode: "no_file_analysed",
        detail: { failed: outcome.failed },
      });
    }
    return v1Json(AnalysisBatch, outcome, 201);
  },
);
