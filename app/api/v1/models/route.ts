import { defineRoute } from "@/lib/api/route";
import { activeModels } from "@/lib/api/v1/models";
import { v1Operations } from "@/lib/api/v1/operations";
import { v1Auth, v1Json } from "@/lib/api/v1/route-support";
import { ModelList } from "@/lib/api/v1/schemas";

export const GET = defineRoute(v1Auth(v1Operations.listModels), async () => v1Json(ModelList, await activeModels()));
