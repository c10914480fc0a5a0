import { defineRoute } from "@/lib/api/route";
import { uuidParam } from "@/lib/core/uuid-param";
import { STAFF_ROLES } from "@/lib/core/roles";
import { auditValidationExport } from "@/lib/validation/audit-export";
import { validationPdf } from "@/lib/validation/pdf";
import { getSetView } from "@/lib/validation/queries";

/** The PDF summary of a completed set. */
export const GET = defineRoute({ auth: "session", roles: STAFF_ROLES }, async ({ params, principal, req }) => {
  const view = await getSetView(uuidParam(params, "validation set"));
  const body = await validationPdf(view);
  await auditValidationExport(principal, view.set.id, "pdf", req.headers);
  return new Response(new Uint8Array(body), {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `attachment; filename="validation-${view.set.id.slice(0, 8)}.pdf"`,
      "cache-control": "no-store",
    },
  });
});
