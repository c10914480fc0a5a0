import "server-only";
import { readManifest } from "@/lib/inference";
import { classifierDir } from "@/lib/inference/classifier-choice";

export interface InstalledModel {
  installed: boolean;
  name: string | null;
  version: string | null;
  trained: boolean | null;
}

/** What the site's classifier (MODEL_DIR or MODEL_RESNET_DIR) holds, read from its manifest without loading the network: for banners and health. */
export async function installedModel(): Promise<InstalledModel> {
  const manifest = await readManifest(await classifierDir()).catch(() => null);
  if (!manifest) return { installed: false, name: null, version: null, trained: null };
  return { installed: true, name: manifest.name, version: manifest.version, trained: manifest.trained };
}
