import { defineRoute } from "@/lib/api/route";
import { ADMIN_ROLES } from "@/lib/core/roles";
import { RetentionRules } from "@/lib/lifecycle/admin-input";
import { lifecycleView, updateRetentionRules } from "@/lib/lifecycle/admin-service";

/** The retention rules, what a run now would remove (dry run), and the legal holds. */
export const GET = defineRoute({ auth: "session", roles: ADMIN_ROLES }, () => lifecycleView());

export const PUT = defineRoute({ auth: "session", roles: ADMIN_ROLES, body: RetentionRules }, ({ body, principal, req }) =>
  updateRetentionRules(principal, body, req.headers),
);
