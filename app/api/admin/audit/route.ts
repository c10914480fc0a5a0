import { defineRoute } from "@/lib/api/route";
import { queryAudit } from "@/lib/audit/query";
import { AuditFilters } from "@/lib/audit/input";
import { ADMIN } from "@/lib/users/route-support";

export const GET = defineRoute({ auth: "session", roles: ADMIN, query: AuditFilters }, async ({ query }) =>
  Response.json(await queryAudit(query), { headers: { "cache-control": "no-store" } }),
);
