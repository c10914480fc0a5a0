import { z } from "zod";
import { defineRoute } from "@/lib/api/route";
import { STAFF_ROLES } from "@/lib/core/roles";
import { triageSettingsView, updateTriageThresholds } from "@/lib/triage/settings-service";
import { ThresholdChanges } from "@/lib/triage/thresholds";
import { ADMIN_ROLES } from "@/lib/core/roles";

/** Current thresholds per finding (staff may read them: they explain the worklist). */
export const GET = defineRoute({ auth: "session", roles: STAFF_ROLES }, async () => triageSettingsView());

/** Changes thresholds of the labels given (null: back to the operating point), then re-triages every study. */
export const PATCH = defineRoute(
  { auth: "session", roles: ADMIN_ROLES, body: z.object({ thresholds: ThresholdChanges }) },
  async ({ body, principal, req }) => updateTriageThresholds({ actor: principal, changes: body.thresholds, headers: req.headers }),
);
