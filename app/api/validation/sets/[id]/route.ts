import { defineRoute } from "@/lib/api/route";
import { uuidParam } from "@/lib/core/uuid-param";
import { STAFF_ROLES } from "@/lib/core/roles";
import { getSetView } from "@/lib/validation/queries";

/** One set: its status, and once complete, every finding's numbers at the current site thresholds. */
export const GET = defineRoute({ auth: "session", roles: STAFF_ROLES }, async ({ params }) => getSetView(uuidParam(params, "validation set")));
