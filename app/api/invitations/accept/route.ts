import { defineRoute } from "@/lib/api/route";
import { acceptInvitation } from "@/lib/users/accept-invitation";
import { AcceptInvitationInput } from "@/lib/users/input";

/** Public: the signed link is the credential. Rate-limited per address like every public endpoint. */
export const POST = defineRoute({ auth: "public", body: AcceptInvitationInput, rateLimited: true }, async ({ body, req }) =>
  acceptInvitation({ token: body.token, password: body.password, headers: req.headers }),
);
