// `npm run model:demo [-- --out DIR] [--seed N]`: the UNTRAINED demo model (seeded random DenseNet-121)
// in models/densenet121-res224-all-demo/, so the app runs offline. Without MODEL_DIR the app uses it
// whenever the trained release (models/densenet121-res224-all) is not installed.
import path from "node:path";
import { parseArgs } from "node:util";
import { HELP_OPTION, printedHelp, runCli, UsageError } from "@/lib/cli/cli-support";
import { buildDemoModel, DEMO_MODEL_NAME, DEMO_SEED } from "@/lib/model-builder/demo-model";

const DEFAULT_OUT = path.join("models", DEMO_MODEL_NAME);
const USAGE = `usage: npm run model:demo [-- --out ${DEFAULT_OUT}] [--seed ${DEMO_SEED}]

Builds an untrained DenseNet-121 (seeded random weights, BatchNorm statistics calibrated on synthetic
images) with the same graph builder as model:convert. model.json says trained: false.
The app uses it when MODEL_DIR is unset and models/densenet121-res224-all is not installed.`;

await runCli(USAGE, async () => {
  const { values } = parseArgs({
    options: {
      out: { type: "string", default: DEFAULT_OUT },
      seed: { type: "string", default: String(DEMO_SEED) },
      ...HELP_OPTION,
    },
    strict: true,
  });
  if (printedHelp(values, USAGE)) return 0;
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UsageError("--seed must be an integer between 0 and 2^32-1");
  const t0 = performance.now();
  const m = await buildDemoModel(values.out, seed);
  process.stdout.write(
    `built UNTRAINED demo model ${m.name} (seed ${seed}) in ${Math.round(performance.now() - t0)} ms\n` +
      `  ${path.join(values.out, "model.onnx")} (${(m.onnx.bytes / 1e6).toFixed(1)} MB, sha256 ${m.onnx.sha256})\n` +
      "  used when MODEL_DIR is unset and the trained release is not installed\n",
  );
});
