// `npm run model:convert -- --checkpoint FILE.pt[.gz] --out DIR [--name NAME] [--untrained] [--source-url URL]`
// PyTorch checkpoint (legacy or zip; whole model or state_dict; gzip-compressed or not) -> DIR/model.onnx
// + DIR/model.json. The release form (DenseNet, ResNet-50 classifier, PSPNet anatomy, view model) is
// recognised from the checkpoint's tensors.
import path from "node:path";
import { parseArgs } from "node:util";
import { HELP_OPTION, printedHelp, runCli, UsageError } from "@/lib/cli/cli-support";
import { DEFAULT_MODEL_NAME } from "@/lib/model-builder/catalog";
import { convertRelease } from "@/lib/model-builder/convert";

const USAGE = `usage: npm run model:convert -- --checkpoint FILE.pt[.gz] --out DIR [--name ${DEFAULT_MODEL_NAME}] [--untrained] [--source-url URL]

  --checkpoint   PyTorch file in one of TorchXRayVision's release forms, recognised by its tensors:
                 DenseNet-121 (whole pickled model or state_dict), resnet50-res512-all (state_dict),
                 chestx_det PSPNet (DataParallel state_dict), xinario view model (state_dict);
                 a gzip-compressed file (.gz) is unpacked in memory
  --out          directory to write model.onnx and model.json into
  --name         model name; for a DenseNet a catalog name (e.g. ${DEFAULT_MODEL_NAME}) supplies labels
                 and operating points (default: ${DEFAULT_MODEL_NAME}); the other releases are named
                 after the release unless a non-catalog name is given
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
  const result = await convertRelease({
    checkpoint: values.checkpoint,
    outDir: values.out,
    name: values.name,
    trained: !values.untrained,
    sourceUrl: values["source-url"] ?? null,
  });
  const m = result.manifest;
  const a = m.architecture;
  const arch =
    a.family === "densenet"
      ? `${a.variant}: blocks ${a.blocks.join("/")}, growth ${a.growthRate}, ${a.numClasses} outputs`
      : `${a.variant}: blocks ${a.blocks.join("/")}, ${a.numClasses} outputs`;
  const task = result.kind === "zoo" ? result.manifest.task : "classifier";
  const thresholds = m.op_threshs ? `${m.op_threshs.filter((t) => t !== null).length} of ${m.op_threshs.length}` : "none";
  process.stdout.write(
    [
      `converted ${path.basename(values.checkpoint)} (${result.form}, ${m.checkpoint?.format} format, ${m.checkpoint?.kind}, ${result.tensorCount} tensors) in ${Math.round(performance.now() - t0)} ms`,
      `  task          ${task}, input ${m.input.size}x${m.input.size}`,
      `  architecture  ${arch}`,
      `  model         ${path.join(values.out, "model.onnx")} (${(m.onnx.bytes / 1e6).toFixed(1)} MB, opset ${m.onnx.opset})`,
      `  manifest      ${path.join(values.out, "model.json")} (name ${m.name}, trained: ${m.trained}, thresholds: ${thresholds})`,
      `  checkpoint    sha256 ${m.checkpoint?.sha256}`,
      "",
    ].join("\n"),
  );
});
