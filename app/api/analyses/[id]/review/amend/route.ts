import { defineRoute } from "@/lib/api/route";
import { loadReportDraft } from "@/lib/reports/load-draft";
import { STAFF_ROLES } from "@/lib/core/roles";
import { uuidParam } from "@/lib/core/uuid-param";
import { AmendInput } from "@/lib/reviews/input";
import { amendReview } from "@/lib/reviews/service";

/** Adds a new signed version with a reason; the earlier versions are kept as they were. */
export const POST = defineRoute({ auth: "session", roles: STAFF_ROLES, body: AmendInput }, async ({ params, body, principal, req }) => {
  const analysisId = uuidParam(params, "analysis");
  const state = await amendReview({ actor: principal, analysisId, input: body, headers: req.headers });
  return { ...state, report: await loadReportDraft(analysisId) };
});
