// `npm run model:demo [-- --kind densenet|resnet50|pspnet|view] [--out DIR] [--seed N]`: an UNTRAINED demo
// model with seeded random weights, so the app runs offline. The default (densenet) is the DenseNet-121
// in models/densenet121-res224-all-demo/, which the app uses without MODEL_DIR when the trained release
// (models/densenet121-res224-all) is not installed; the others are the release zoo's models.
import path from "node:path";
import { parseArgs } from "node:util";
import { HELP_OPTION, printedHelp, runCli, UsageError } from "@/lib/cli/cli-support";
import { buildDemoModel, DEMO_MODEL_NAME, DEMO_SEED } from "@/lib/model-builder/demo-model";
import { buildZooDemo, type DemoZooKind } from "@/lib/model-builder/zoo/demo-zoo";
import { PSPNET_NAME, RESNET50_NAME, VIEW_NAME } from "@/lib/model-builder/zoo/zoo-catalog";

const KINDS = { densenet: DEMO_MODEL_NAME, resnet50: `${RESNET50_NAME}-demo`, pspnet: `${PSPNET_NAME}-demo`, view: `${VIEW_NAME}-demo` } as const;
const USAGE = `usage: npm run model:demo [-- --kind densenet|resnet50|pspnet|view] [--out models/<name>] [--seed ${DEMO_SEED}]

Builds an UNTRAINED model with seeded random weights and the same graph builders as model:convert;
model.json says trained: false.
  densenet  DenseNet-121 at 224 (BatchNorm statistics calibrated on synthetic images), ${DEMO_MODEL_NAME};
            the app uses it when MODEL_DIR is unset and models/densenet121-res224-all is not installed
  resnet50  the 512-pixel ResNet-50 findings classifier, ${KINDS.resnet50}
  pspnet    the chestx_det PSPNet anatomy model (about 270 MB, 1.5 GB of memory while building), ${KINDS.pspnet}
  view      the frontal/lateral view model, ${KINDS.view}`;

await runCli(USAGE, async () => {
  const { values } = parseArgs({
    options: {
      kind: { type: "string", default: "densenet" },
      out: { type: "string" },
      seed: { type: "string", default: String(DEMO_SEED) },
      ...HELP_OPTION,
    },
    strict: true,
  });
  if (printedHelp(values, USAGE)) return 0;
  const kind = values.kind as keyof typeof KINDS;
  if (!Object.hasOwn(KINDS, kind)) throw new UsageError(`--kind must be one of ${Object.keys(KINDS).join(", ")}`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UsageError("--seed must be an integer between 0 and 2^32-1");
  const out = values.out ?? path.join("models", KINDS[kind]);
  const t0 = performance.now();
  const m = kind === "densenet" ? await buildDemoModel(out, seed) : await buildZooDemo(kind as DemoZooKind, out, seed);
  process.stdout.write(
    `built UNTRAINED demo model ${m.name} (seed ${seed}) in ${Math.round(performance.now() - t0)} ms\n` +
      `  ${path.join(out, "model.onnx")} (${(m.onnx.bytes / 1e6).toFixed(1)} MB, sha256 ${m.onnx.sha256})\n` +
      (kind === "densenet" ? "  used when MODEL_DIR is unset and the trained release is not installed\n" : ""),
  );
});
