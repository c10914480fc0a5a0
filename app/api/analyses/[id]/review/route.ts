import { defineRoute } from "@/lib/api/route";
import { loadReportDraft } from "@/lib/reports/load-draft";
import { STAFF_ROLES } from "@/lib/core/roles";
import { uuidParam } from "@/lib/core/uuid-param";
import { ReviewDraftInput } from "@/lib/reviews/input";
import { getReviewState, saveReviewDraft } from "@/lib/reviews/service";

/** The review with every version, newest first, and the report draft once signed off. */
export const GET = defineRoute({ auth: "session", roles: STAFF_ROLES }, async ({ params }) => {
  const analysisId = uuidParam(params, "analysis");
  const state = await getReviewState(analysisId);
  return { ...state, report: await loadReportDraft(analysisId) };
});

/** Saves a draft (status "in review"); refused with 409 once signed off. */
export const PUT = defineRoute({ auth: "session", roles: STAFF_ROLES, body: ReviewDraftInput }, async ({ params, body, principal, req }) => {
  const analysisId = uuidParam(params, "analysis");
  const state = await saveReviewDraft({ actor: principal, analysisId, input: body, headers: req.headers });
  return { ...state, report: null };
});
