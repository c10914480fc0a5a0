import { defineRoute } from "@/lib/api/route";
import { STAFF_ROLES } from "@/lib/core/roles";
import { queryWorklist } from "@/lib/worklist/query";
import { WorklistFilters } from "@/lib/worklist/input";

// POST, not GET: the filters may carry an accession number, which must stay out of URLs and logs.
export const POST = defineRoute({ auth: "session", roles: STAFF_ROLES, body: WorklistFilters }, async ({ body }) =>
  Response.json(await queryWorklist(body), { headers: { "cache-control": "no-store" } }),
);
