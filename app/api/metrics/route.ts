import { defineRoute } from "@/lib/api/route";
import { getModel, modelStatus } from "@/lib/inference";
import { classifierDir } from "@/lib/inference/classifier-choice";
import { metrics, setModelInfo } from "@/lib/metrics";
import { assertMetricsAccess } from "@/lib/ops/metrics-access";
import { queueStatus } from "@/lib/queue/status";

// Prometheus text format. Access: METRICS_TOKEN bearer or an admin session (see lib/ops/metrics-access).
export const GET = defineRoute({ auth: "public", before: ({ req }) => assertMetricsAccess(req) }, async () => {
  // The queue gauges describe the whole deployment, read from the database at each scrape.
  await queueStatus();
  // Model info only once loaded: a scrape must never be what starts a model load.
  const dir = await classifierDir();
  if (modelStatus(dir)?.state === "ready") {
    const { manifest, provider } = await getModel(dir);
    setModelInfo({ name: manifest.name, version: manifest.version, trained: manifest.trained, provider });
  }
  const registry = metrics().registry;
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
});
