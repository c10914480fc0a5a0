import { defineRoute } from "@/lib/api/route";
import { ADMIN_ROLES } from "@/lib/core/roles";
import { HoldInput } from "@/lib/lifecycle/admin-input";
import { placeHoldFromInput } from "@/lib/lifecycle/admin-service";

/** Places a legal hold on a study, or on a patient by Patient ID (turned into the pseudonymous link). */
export const POST = defineRoute({ auth: "session", roles: ADMIN_ROLES, body: HoldInput }, ({ body, principal, req }) =>
  placeHoldFromInput(principal, body, req.headers),
);
