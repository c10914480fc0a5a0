// `npm run model:convert -- --checkpoint FILE.pt --out DIR [--name NAME] [--untrained] [--source-url URL]`
// PyTorch checkpoint (legacy or zip; whole model or state_dict) -> DIR/model.onnx + DIR/model.json.
import path from "node:path";
import { parseArgs } from "node:util";
import { HELP_OPTION, printedHelp, runCli, UsageError } from "@/lib/cli/cli-support";
import { DEFAULT_MODEL_NAME } from "@/lib/model-builder/catalog";
import { convertCheckpoint } from "@/lib/model-builder/convert";

const USAGE = `usage: npm run model:convert -- --checkpoint FILE.pt --out DIR [--name ${DEFAULT_MODEL_NAME}] [--untrained] [--source-url URL]

  --checkpoint   PyTorch file: TorchXRayVision DenseNet, whole pickled model or state_dict
  --out          directory to write model.onnx and model.json into
  --name         model name; a catalog name (e.g. ${DEFAULT_MODEL_NAME}) supplies labels and
                 operating points (default: ${DEFAULT_MODEL_NAME})
  --untrained    mark the weights as untrained (fixtures, random weights): trained: false
  --source-url   where the checkpoint was downloaded from, recorded in model.json`;

await runCli(USAGE, async () => {
  const { values } = parseArgs({
    options: {
      checkpoint: { type: "string" },
      out: { type: "string" },
      name: { type: "string", default: DEFAULT_MODEL_NAME },
      untrained: { type: "boolean", default: false },
      "source-url": { type: "string" },
      ...HELP_OPTION,
    },
    strict: true,
  });
  if (printedHelp(values, USAGE)) return 0;
  if (!values.checkpoint || !values.out) throw new UsageError("--checkpoint and --out are required");
  const t0 = performance.now();
  const result = await convertCheckpoint({
    checkpoint: values.checkpoint,
    outDir: values.out,
    name: values.name,
    trained: !values.untrained,
    sourceUrl: values["source-url"] ?? null,
  });
  const m = result.manifest;
  process.stdout.write(
    [
      `converted ${path.basename(values.checkpoint)} (${m.checkpoint?.format} format, ${m.checkpoint?.kind}, ${result.tensorCount} tensors) in ${Math.round(performance.now() - t0)} ms`,
      `  architecture  ${m.architecture.variant}: blocks ${m.architecture.blocks.join("/")}, growth ${m.architecture.growthRate}, ${m.architecture.numClasses} outputs`,
      `  model         ${path.join(values.out, "model.onnx")} (${(m.onnx.bytes / 1e6).toFixed(1)} MB, opset ${m.onnx.opset})`,
      `  manifest      ${path.join(values.out, "model.json")} (name ${m.name}, trained: ${m.trained}, thresholds: ${m.op_threshs ? "yes" : "none"})`,
      `  checkpoint    sha256 ${m.checkpoint?.sha256}`,
      "",
    ].join("\n"),
  );
});
