import { renderingResponse } from "@/lib/analyses/serve-rendering";
import { defineRoute } from "@/lib/api/route";

export const GET = defineRoute({ auth: "session", roles: ["admin", "radiologist"] }, ({ principal, params }) =>
  renderingResponse(principal, params.id, "thumbnail"),
);
