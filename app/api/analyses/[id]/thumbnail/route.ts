import { renderingResponse } from "@/lib/analyses/serve-rendering";
import { defineRoute } from "@/lib/api/route";
import { STAFF_ROLES } from "@/lib/core/roles";

export const GET = defineRoute({ auth: "session", roles: STAFF_ROLES }, ({ principal, params }) =>
  renderingResponse(principal, params.id, "thumbnail"),
);
