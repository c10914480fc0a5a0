// The untrained demo model built once per test file into MODEL_DIR (set by the file with vi.hoisted,
// under the run's DATA_DIR), so route tests run the real onnxruntime pipeline without fixtures.
import { access } from "node:fs/promises";
import path from "node:path";
import { buildDemoModel } from "@/lib/model-builder/demo-model";
import { env } from "@/lib/env";

export async function ensureDemoModel(): Promise<string> {
  const dir = path.resolve(env.MODEL_DIR);
  const exists = await access(path.join(dir, "model.json")).then(() => true, () => false);
  if (!exists) await buildDemoModel(dir);
  return dir;
}
