import { defineRoute } from "@/lib/api/route";
import { sharedReportPdf } from "@/lib/shares/patient-view";
import { shareFromRequest } from "@/lib/shares/route-support";

/** The patient's PDF behind a valid (and, if protected, unlocked) link. Audited as a view. */
export const GET = defineRoute({ auth: "public", rateLimited: true }, async ({ req, params }) =>
  sharedReportPdf({ share: await shareFromRequest(req, params), viewer: null, headers: req.headers }),
);
