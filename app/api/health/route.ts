import { defineRoute } from "@/lib/api/route";
import { modelStatus } from "@/lib/inference";
import { installedModel } from "@/lib/ops/installed-model";

// Liveness: answers as long as the process serves requests. Readiness (database, model) is /api/ready.
export const dynamic = "force-dynamic";

export const GET = defineRoute({ auth: "public" }, async () => {
  const model = await installedModel();
  const loaded = modelStatus();
  return {
    status: "ok",
    model: {
      ...model,
      state: loaded?.state ?? (model.installed ? "not loaded" : "missing"),
      executionProvider: loaded?.provider ?? null,
      fallbackReason: loaded?.fallbackReason ?? null,
    },
  };
});
