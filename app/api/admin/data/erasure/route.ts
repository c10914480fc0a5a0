import { defineRoute } from "@/lib/api/route";
import { ADMIN_ROLES } from "@/lib/core/roles";
import { ErasureInput } from "@/lib/lifecycle/admin-input";
import { erase } from "@/lib/lifecycle/erase";

/**
 * Erases one patient (by Patient ID and issuer, in the body) or one analysis. The answer lists what was
 * already sent to the PACS (study and series UIDs), shown once so someone can remove it there too.
 */
export const POST = defineRoute({ auth: "session", roles: ADMIN_ROLES, body: ErasureInput }, ({ body, principal, req }) =>
  erase(principal, body.target, req.headers),
);
