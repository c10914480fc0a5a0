import { defineRoute } from "@/lib/api/route";
import { loadReportDraft } from "@/lib/reports/load-draft";
import { STAFF_ROLES } from "@/lib/core/roles";
import { uuidParam } from "@/lib/core/uuid-param";
import { ReviewDraftInput } from "@/lib/reviews/input";
import { signOffReview } from "@/lib/reviews/service";

/** Signs the review off with the submitted content; every finding needs a decision. */
export const POST = defineRoute({ auth: "session", roles: STAFF_ROLES, body: ReviewDraftInput }, async ({ params, body, principal, req }) => {
  const analysisId = uuidParam(params, "analysis");
  const state = await signOffReview({ actor: principal, analysisId, input: body, headers: req.headers });
  return { ...state, report: await loadReportDraft(analysisId) };
});
