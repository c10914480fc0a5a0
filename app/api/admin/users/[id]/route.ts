import { defineRoute } from "@/lib/api/route";
import { ADMIN, userIdParam } from "@/lib/users/route-support";
import { UpdateUserInput } from "@/lib/users/input";
import { updateUser } from "@/lib/users/service";

/** Role, disabled flag, name. The last active admin cannot be demoted or disabled (409). */
export const PATCH = defineRoute({ auth: "session", roles: ADMIN, body: UpdateUserInput }, async ({ body, params, principal, req }) => ({
  user: await updateUser({ actor: principal, headers: req.headers, userId: userIdParam(params), input: body }),
}));
