import { defineRoute } from "@/lib/api/route";
import { STAFF_ROLES } from "@/lib/core/roles";
import { createSetFromReviews, createSetFromUpload } from "@/lib/validation/create-set";
import { CREATE_SET_MAX_BODY_BYTES, CreateSetInput } from "@/lib/validation/input";
import { listSets } from "@/lib/validation/queries";

/** Validation sets, newest first, with each one's stored AUCs. */
export const GET = defineRoute({ auth: "session", roles: STAFF_ROLES }, async () => ({ sets: await listSets() }));

/** A new set from uploaded (already submitted) analyses with a labels CSV, or from signed-off reviews. */
export const POST = defineRoute({ auth: "session", roles: STAFF_ROLES, body: CreateSetInput, maxBodyBytes: CREATE_SET_MAX_BODY_BYTES }, async ({ body, principal, req }) => {
  const created =
    body.source === "upload"
      ? await createSetFromUpload({ actor: principal, name: body.name, labelsCsv: body.labelsCsv, analysisIds: body.analysisIds, headers: req.headers })
      : await createSetFromReviews({ actor: principal, name: body.name, from: body.from, to: body.to, headers: req.headers });
  return Response.json(created, { status: 201 });
});
