import { defineRoute } from "@/lib/api/route";
import { queryAudit } from "@/lib/audit/query";
import { AuditFilters } from "@/lib/audit/input";
import { ADMIN_ROLES } from "@/lib/core/roles";

export const GET = defineRoute({ auth: "session", roles: ADMIN_ROLES, query: AuditFilters }, async ({ query }) =>
  Response.json(await queryAudit(query), { headers: { "cache-control": "no-store" } }),
);
