import { defineRoute } from "@/lib/api/route";
import { ADMIN_ROLES } from "@/lib/core/roles";
import { invitationLinker } from "@/lib/users/route-support";
import { CreateUserInput } from "@/lib/users/input";
import { createUser, listUsers } from "@/lib/users/service";

export const GET = defineRoute({ auth: "session", roles: ADMIN_ROLES }, async () => ({ users: await listUsers() }));

/** 201 with the new user and its one-time password or invitation link, shown once. */
export const POST = defineRoute({ auth: "session", roles: ADMIN_ROLES, body: CreateUserInput }, async ({ body, principal, req }) => {
  const withLink = invitationLinker(req, body.method);
  const { user, credential } = await createUser({ actor: principal, headers: req.headers, input: body });
  return Response.json({ user, credential: withLink(credential) }, { status: 201, headers: { "cache-control": "no-store" } });
});
