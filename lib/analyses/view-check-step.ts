import "server-only";
import { runViewOnInput } from "@/lib/anatomy/run-models";
import { viewWarning } from "@/lib/anatomy/view-check";
import { env } from "@/lib/env";
import type { ImageMetadata, QualityWarning } from "@/lib/imaging";
import { getZooModel } from "@/lib/inference/zoo-registry";
import { errorSummary, logger } from "@/lib/log";

// The worker's view check (VIEW_MODEL_DIR set): the view model on each prepared film of a batch, from the
// classifier's own input (the same centre crop; resized when the classifier's size is not the view
// model's). A film the model reads as lateral gets the gate's non_frontal_view warning. The check never
// holds up or fails an analysis: a view model that cannot load or run is logged and the films go on
// without it.

export interface ViewCheckItem {
  input: Float32Array;
  metadata: ImageMetadata;
  warnings: QualityWarning[];
}

/** The extra warning per item (null: none), in item order. */
export async function checkViews(items: readonly ViewCheckItem[]): Promise<(QualityWarning | null)[]> {
  const none = items.map(() => null);
  if (!env.VIEW_MODEL_DIR || items.length === 0) return none;
  try {
    const model = await getZooModel(env.VIEW_MODEL_DIR, "view");
    const out: (QualityWarning | null)[] = [];
    for (const item of items) {
      const view = await runViewOnInput(model, item.input);
      out.push(viewWarning({ ...view, trained: view.model.trained }, item.metadata, item.warnings));
    }
    return out;
  } catch (error) {
    logger.warn({ err: errorSummary(error) }, "the view check could not run; films are analysed without it");
    return none;
  }
}
