import "server-only";
import { storedLabelOrder } from "@/lib/analyses/reads";
import { readManifest } from "@/lib/inference/model-dir";
import { servingModelDir } from "@/lib/inference/precision-choice";

/**
 * Labels a threshold can be set for: the installed model's labels (so a site can configure before the
 * first upload), then any other label stored analyses report (e.g. from a previously installed model).
 */
export async function knownLabels(): Promise<string[]> {
  let fromModel: string[] = [];
  try {
    fromModel = (await readManifest(servingModelDir())).labels.filter((l) => l !== "");
  } catch {
    // No model installed yet (or unreadable): the stored findings still say which labels exist.
  }
  const stored = await storedLabelOrder();
  return [...new Set([...fromModel, ...stored])];
}
