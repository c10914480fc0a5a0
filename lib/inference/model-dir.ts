import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ModelError } from "./errors";
import { MANIFEST_FILE, ManifestSchema, type ModelManifest } from "./manifest";

// A model directory holds model.onnx and model.json (written by lib/model-builder/model-dir-writer.ts,
// both under temporary names and then renamed, so a reader never sees a half-written model).

export async function readManifest(dir: string): Promise<ModelManifest> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new ModelError(
      "MODEL_NOT_FOUND",
      `no model at ${dir} (${MANIFEST_FILE} is missing): run \`npm run model:demo\` for the untrained demo model or \`npm run model:fetch\` for the trained one`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ModelError("MODEL_MANIFEST_INVALID", `${file} is not valid JSON`);
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ModelError("MODEL_MANIFEST_INVALID", `${file} does not match the manifest schema: ${problems}`);
  }
  return parsed.data;
}
