import { defineRoute } from "@/lib/api/route";
import { STAFF_ROLES } from "@/lib/core/roles";
import { uuidParam } from "@/lib/core/uuid-param";
import { discardOwnDraft, getOwnDraft, saveOwnDraft } from "@/lib/reviews/drafts";
import { ReviewDraftInput } from "@/lib/reviews/input";

/** The caller's own draft of the review (another reader's is never shown), or null. */
export const GET = defineRoute({ auth: "session", roles: STAFF_ROLES }, async ({ params, principal }) => {
  const analysisId = uuidParam(params, "analysis");
  return { draft: await getOwnDraft(analysisId, principal.userId) };
});

/** Saves the caller's draft as they type; refused with 409 once the review is signed off. */
export const PUT = defineRoute({ auth: "session", roles: STAFF_ROLES, body: ReviewDraftInput }, async ({ params, body, principal }) => {
  const analysisId = uuidParam(params, "analysis");
  return saveOwnDraft({ actor: principal, analysisId, input: body });
});

/** Throws the caller's own draft away. */
export const DELETE = defineRoute({ auth: "session", roles: STAFF_ROLES }, async ({ params, principal }) => {
  const analysisId = uuidParam(params, "analysis");
  await discardOwnDraft(analysisId, principal.userId);
  return { discarded: true };
});
