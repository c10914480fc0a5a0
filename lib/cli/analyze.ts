// `npm run analyze -- [--model DIR] [--dump-tensors DIR] FILE...`
// Prints ONE JSON array on stdout, one entry per file, in argument order. A file that fails (unreadable,
// not an image, damaged) gets ok: false and an error; the others still run. Logs go to stderr.
import { parseArgs } from "node:util";
import { analyzeFiles } from "@/lib/cli/analyze-files";
import { HELP_OPTION, printedHelp, runCli, stderrLogger, UsageError } from "@/lib/cli/cli-support";
import { env } from "@/lib/env";
import { loadModel } from "@/lib/inference/engine";

const USAGE = `usage: npm run analyze -- [--model DIR] [--dump-tensors DIR] FILE...

  --model DIR         model directory with model.onnx + model.json (default MODEL_DIR=${env.MODEL_DIR})
  --dump-tensors DIR  write each file's exact model input as DIR/<file name>.f32 (224x224 float32 LE)`;

await runCli(USAGE, async () => {
  const { values, positionals: files } = parseArgs({
    options: {
      model: { type: "string", default: env.MODEL_DIR },
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
  const results = await analyzeFiles(files, model, { dumpDir: values["dump-tensors"] });
  const failures = results.filter((r) => !r.ok).length;
  await model.close();
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  // Non-zero when any file failed, so scripts notice; the JSON still holds every result.
  return failures > 0 ? 1 : 0;
});
