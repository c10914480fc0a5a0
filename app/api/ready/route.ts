import { defineRoute } from "@/lib/api/route";
import { readiness } from "@/lib/ops/readiness";

// Readiness for load balancers and orchestrators: 200 when the database answers and the model is
// loaded, else 503 with Retry-After (the first call starts the model load). Reasons go to the log only.
export const GET = defineRoute({ auth: "public" }, async () => {
  const r = await readiness();
  return Response.json(r, {
    status: r.ready ? 200 : 503,
    headers: { "cache-control": "no-store", ...(r.ready ? {} : { "retry-after": "5" }) },
  });
});
