import { defineRoute } from "@/lib/api/route";
import { v1Operations } from "@/lib/api/v1/operations";
import { refuseEarlyPoll } from "@/lib/api/v1/poll-pace";
import { readV1Analysis } from "@/lib/api/v1/read-analysis";
import { uuidParam } from "@/lib/core/uuid-param";
import { v1Auth } from "@/lib/api/v1/route-support";

export const GET = defineRoute(
  { ...v1Auth(v1Operations.getAnalysis), beforeAuth: (req, params) => refuseEarlyPoll(req, params.id ?? "") },
  async ({ params, principal, req }) => readV1Analysis(req, principal, uuidParam(params, "analysis")),
);
