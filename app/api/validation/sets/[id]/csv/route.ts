import { defineRoute } from "@/lib/api/route";
import { uuidParam } from "@/lib/core/uuid-param";
import { STAFF_ROLES } from "@/lib/core/roles";
import { auditValidationExport } from "@/lib/validation/audit-export";
import { setScoresCsv, summaryCsv } from "@/lib/validation/export-csv";
import { ExportQuery } from "@/lib/validation/input";
import { getSetView } from "@/lib/validation/queries";

/** The set's numbers per finding (kind=summary) or its per-image labels and scores (kind=scores). */
export const GET = defineRoute({ auth: "session", roles: STAFF_ROLES, query: ExportQuery }, async ({ params, query, principal, req }) => {
  const view = await getSetView(uuidParam(params, "validation set"));
  const csv = query.kind === "scores" ? await setScoresCsv(view) : summaryCsv(view);
  await auditValidationExport(principal, view.set.id, `csv-${query.kind}`, req.headers);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="validation-${query.kind}-${view.set.id.slice(0, 8)}.csv"`,
      "cache-control": "no-store",
    },
  });
});
