import { defineRoute } from "@/lib/api/route";
import { recordAudit } from "@/lib/audit/record";
import { auditCsvStream } from "@/lib/audit/csv";
import { AuditFilters, withoutPaging } from "@/lib/audit/input";
import { ADMIN_ROLES } from "@/lib/core/roles";

/** The filtered audit log as CSV (newest first). Exporting is itself audited. */
export const GET = defineRoute({ auth: "session", roles: ADMIN_ROLES, query: AuditFilters }, async ({ query, principal, req }) => {
  const filters = withoutPaging(query);
  await recordAudit({ actor: principal, action: "audit.export", details: { filters }, headers: req.headers });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(auditCsvStream(filters), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="audit-log-${stamp}.csv"`,
      "cache-control": "no-store",
    },
  });
});
