import { defineRoute } from "@/lib/api/route";
import { publicBaseUrl } from "@/lib/api/public-url";
import { STAFF_ROLES } from "@/lib/core/roles";
import { uuidParam } from "@/lib/core/uuid-param";
import { CreateShareInput } from "@/lib/shares/input";
import { createShare, listActiveShares } from "@/lib/shares/service";

/** Active share links of an analysis (never their tokens). */
export const GET = defineRoute({ auth: "session", roles: STAFF_ROLES }, async ({ params, principal }) => ({
  shares: await listActiveShares(principal, uuidParam(params, "analysis")),
}));

/** Creates a patient link for a signed-off analysis; the response holds the link, shown this once. */
export const POST = defineRoute(
  { auth: "session", roles: STAFF_ROLES, body: CreateShareInput },
  async ({ params, principal, body, req }) => {
    const created = await createShare({
      actor: principal,
      analysisId: uuidParam(params, "analysis"),
      input: body,
      baseUrl: publicBaseUrl(req),
      headers: req.headers,
    });
    return Response.json(created, { status: 201, headers: { "cache-control": "no-store" } });
  },
);
