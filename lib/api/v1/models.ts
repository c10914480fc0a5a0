import "server-only";
import { AppError } from "@/lib/core/errors";
import { getModel } from "@/lib/inference";
import { classifierDir } from "@/lib/inference/classifier-choice";
import { errorSummary, logger } from "@/lib/log";
import { setModelInfo } from "@/lib/metrics";
import type { ModelList } from "./schemas";
import type { z } from "zod";

/** The site's classifier, which analyses uploads (loaded on first call). 503 while it cannot be loaded. */
export async function activeModels(): Promise<z.infer<typeof ModelList>> {
  let model;
  try {
    model = await getModel(await classifierDir());
  } catch (error) {
    // The reason (file paths, runtime messages) goes to the log, not to API clients.
    logger.error({ err: errorSummary(error) }, "model unavailable");
    throw new AppError("service_unavailable", "The model is not available right now; an operator has to install or fix it.", {
      retryAfterSeconds: 60,
      subcode: "model_unavailable",
    });
  }
  const m = model.manifest;
  setModelInfo({ name: m.name, version: m.version, trained: m.trained, provider: model.provider });
  return {
    models: [
      {
        name: m.name,
        version: m.version,
        description: m.description,
        trained: m.trained,
        precision: m.precision,
        labels: m.labels,
        inputSize: m.input.size,
        executionProvider: model.provider,
        active: true,
      },
    ],
  };
}
