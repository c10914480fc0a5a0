// `npm run analyze -- [--model DIR] [--anatomy-model DIR] [--view-model DIR] [--dump-tensors DIR] FILE...`
// Prints ONE JSON array on stdout, one entry per file, in argument order. A file that fails (unreadable,
// not an image, damaged) gets ok: false and an error; the others still run. Logs go to stderr.
import { parseArgs } from "node:util";
import { analyzeFiles } from "@/lib/cli/analyze-files";
import { HELP_OPTION, printedHelp, runCli, stderrLogger, UsageError } from "@/lib/cli/cli-support";
import { env } from "@/lib/env";
import { loadModel } from "@/lib/inference/engine";
import { loadZooModel } from "@/lib/inference/zoo-engine";

const USAGE = `usage: npm run analyze -- [--model DIR] [--anatomy-model DIR] [--view-model DIR] [--dump-tensors DIR] FILE...

  --model DIR          findings classifier (DenseNet-121 at 224 or ResNet-50 at 512): model.onnx + model.json
                       (default MODEL_DIR=${env.MODEL_DIR})
  --anatomy-model DIR  the converted chestx_det PSPNet: adds "anatomy" (measured CTR in the 512 x 512 model
                       frame and on the film, pixels per structure)
  --view-model DIR     the converted view model: adds "view" (Frontal or Lateral, with its logits)
  --dump-tensors DIR   write each file's exact classifier input as DIR/<file name>.f32 (float32 LE)

A finding the model does not assess (no operating point in its release) prints calibrated: null.`;

await runCli(USAGE, async () => {
  const { values, positionals: files } = parseArgs({
    options: {
      model: { type: "string", default: env.MODEL_DIR },
      "anatomy-model": { type: "string" },
      "view-model": { type: "string" },
      "dump-tensors": { type: "string" },
      ...HELP_OPTION,
    },
    allowPositionals: true,
    strict: true,
  });
  if (printedHelp(values, USAGE)) return 0;
  if (files.length === 0) throw new UsageError("give at least one image file");
  const model = await loadModel(values.model, { log: stderrLogger });
  if (!model.manifest.trained) stderrLogger.warn({ model: model.manifest.name }, "this model is UNTRAINED: its outputs mean nothing medically");
  const anatomyModel = values["anatomy-model"] ? await loadZooModel(values["anatomy-model"], { task: "anatomy", log: stderrLogger }) : undefined;
  const viewModel = values["view-model"] ? await loadZooModel(values["view-model"], { task: "view", log: stderrLogger }) : undefined;
  for (const m of [anatomyModel, viewModel]) {
    if (m && !m.manifest.trained) stderrLogger.warn({ model: m.manifest.name }, "this model is UNTRAINED: its outputs mean nothing medically");
  }
  const results = await analyzeFiles(files, model, { dumpDir: values["dump-tensors"], anatomyModel, viewModel });
  const failures = results.filter((r) => !r.ok).length;
  await Promise.all([model.close(), anatomyModel?.close(), viewModel?.close()]);
  // A finding without an operating point in this release is "not assessed": no score is printed for it.
  const printed = results.map((r) => ({ ...r, findings: r.findings.map((f) => ({ ...f, calibrated: f.assessed ? f.calibrated : null })) }));
  process.stdout.write(`${JSON.stringify(printed, null, 2)}\n`);
  // Non-zero when any file failed, so scripts notice; the JSON still holds every result.
  return failures > 0 ? 1 : 0;
});
