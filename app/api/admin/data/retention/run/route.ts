import { defineRoute } from "@/lib/api/route";
import { ADMIN_ROLES } from "@/lib/core/roles";
import { RunInput } from "@/lib/lifecycle/admin-input";
import { runRetention } from "@/lib/lifecycle/retention";

/** Runs the retention rules now (one batch per kind), as the schedule would. */
export const POST = defineRoute({ auth: "session", roles: ADMIN_ROLES, body: RunInput }, async ({ principal }) => ({
  removed: await runRetention(new Date(), { actor: principal }),
}));
