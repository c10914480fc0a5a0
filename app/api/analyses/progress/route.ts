import { z } from "zod";
import { Uuid } from "@/lib/core/uuid-param";
import { analysisProgress } from "@/lib/analyses/progress";
import { defineRoute } from "@/lib/api/route";
import { STAFF_ROLES } from "@/lib/core/roles";

const Query = z.object({
  ids: z
    .string()
    .max(50 * 37)
    .transform((s) => s.split(",").filter(Boolean))
    .pipe(z.array(Uuid).min(1).max(50)),
});

/** Status and place in the queue of up to 50 analyses (the upload page and worklist poll this). */
export const GET = defineRoute({ auth: "session", roles: STAFF_ROLES, query: Query }, async ({ principal, query }) => ({
  analyses: await analysisProgress(principal, query.ids),
}));
