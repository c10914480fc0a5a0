import fs from "node:fs";
import path from "node:path";
import { loadZooModel } from "@/lib/inference/zoo-engine";
import { readTensor } from "@/test/support/imaging/fixtures";
import { readZooReference } from "@/test/support/zoo-models";

// Writes the project's PSPNet logits (14 x 512 x 512 float32 per film) on the zoo fixture tensors, for
// bench/pspnet-float64.py --ours to compare with the network evaluated in float64.
//   tsx --conditions=react-server bench/pspnet-logits.ts CONVERTED_PSPNET_DIR OUT_DIR

async function main(): Promise<void> {
  const [modelDir, outDir] = process.argv.slice(2);
  if (!modelDir || !outDir) throw new Error("usage: pspnet-logits.ts CONVERTED_PSPNET_DIR OUT_DIR");
  const reference = readZooReference<{ images: { file: string; tensor: string }[] }>("pspnet");
  const model = await loadZooModel(modelDir, { task: "anatomy", log: { info: () => {}, warn: () => {} } });
  fs.mkdirSync(outDir, { recursive: true });
  for (const film of reference.images) {
    const logits = await model.run(readTensor("zoo", "pspnet", film.tensor));
    fs.writeFileSync(path.join(outDir, `${film.file}.f32`), Buffer.from(logits.buffer, logits.byteOffset, logits.byteLength));
  }
  await model.close();
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
