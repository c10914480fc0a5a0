import { defineRoute } from "@/lib/api/route";
import { sharedReportPdf } from "@/lib/shares/patient-view";
import { requireRecipientShare } from "@/lib/shares/recipient";
import { PATIENT_ROLES } from "@/lib/core/roles";

/** The PDF of a report shared with the signed-in patient. Audited as a view. */
export const GET = defineRoute({ auth: "session", roles: PATIENT_ROLES }, async ({ principal, params, req }) =>
  sharedReportPdf({ share: await requireRecipientShare(principal, params.shareId ?? ""), viewer: principal, headers: req.headers }),
);
