import { defineRoute } from "@/lib/api/route";
import { uuidParam } from "@/lib/core/uuid-param";
import { ADMIN_ROLES } from "@/lib/core/roles";
import { UpdateUserInput } from "@/lib/users/input";
import { updateUser } from "@/lib/users/service";

/** Role, disabled flag, name. The last active admin cannot be demoted or disabled (409). */
export const PATCH = defineRoute({ auth: "session", roles: ADMIN_ROLES, body: UpdateUserInput }, async ({ body, params, principal, req }) => ({
  user: await updateUser({ actor: principal, headers: req.headers, userId: uuidParam(params, "user"), input: body }),
}));
