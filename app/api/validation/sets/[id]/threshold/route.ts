import { defineRoute } from "@/lib/api/route";
import { uuidParam } from "@/lib/core/uuid-param";
import { ADMIN_ROLES } from "@/lib/core/roles";
import { applySensitivityThreshold } from "@/lib/validation/apply-threshold";
import { ApplyThresholdInput } from "@/lib/validation/input";

/** Sets a finding's site threshold to the one reaching the target sensitivity on this set (admins). */
export const POST = defineRoute({ auth: "session", roles: ADMIN_ROLES, body: ApplyThresholdInput }, async ({ params, body, principal, req }) =>
  applySensitivityThreshold({ actor: principal, setId: uuidParam(params, "validation set"), label: body.label, targetSensitivity: body.targetSensitivity, headers: req.headers }),
);
