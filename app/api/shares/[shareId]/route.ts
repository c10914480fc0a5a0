import { defineRoute } from "@/lib/api/route";
import { STAFF_ROLES } from "@/lib/core/roles";
import { revokeShare } from "@/lib/shares/service";

/** Revokes a share link at once: the next request with it is a 404. */
export const DELETE = defineRoute({ auth: "session", roles: STAFF_ROLES }, async ({ params, principal, req }) => {
  await revokeShare({ actor: principal, shareId: params.shareId ?? "", headers: req.headers });
  return new Response(null, { status: 204 });
});
