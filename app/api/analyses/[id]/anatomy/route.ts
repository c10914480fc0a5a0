import { getAnatomyView } from "@/lib/analyses/anatomy-view";
import { defineRoute } from "@/lib/api/route";
import { STAFF_ROLES } from "@/lib/core/roles";
import { uuidParam } from "@/lib/core/uuid-param";

/** The viewer's anatomy overlay (outlines and the measured CTR), for signed-in staff who may see the analysis. */
export const GET = defineRoute({ auth: "session", roles: STAFF_ROLES }, async ({ params, principal }) => {
  const view = await getAnatomyView(principal, uuidParam(params, "analysis"));
  return Response.json(view, { headers: { "cache-control": "private, no-store" } });
});
