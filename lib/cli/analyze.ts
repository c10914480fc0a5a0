// `npm run analyze -- [--model DIR] [--dump-tensors DIR] FILE...`
// Prints ONE JSON array on stdout, one entry per file, in argument order. A file that fails (unreadable,
// not an image, damaged) gets ok: false and an error; the others still run. Logs go to stderr.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { analyzeImage } from "@/lib/pipeline/analyze-image";
import { runCli, stderrLogger, UsageError } from "@/lib/cli/cli-support";
import { env } from "@/lib/env";
import type { QualityWarning } from "@/lib/imaging";
import type { Finding } from "@/lib/inference/calibrate";
import { loadModel } from "@/lib/inference/engine";

const USAGE = `usage: npm run analyze -- [--model DIR] [--dump-tensors DIR] FILE...

  --model DIR         model directory with model.onnx + model.json (default MODEL_DIR=${env.MODEL_DIR})
  --dump-tensors DIR  write each file's exact model input as DIR/<file name>.f32 (224x224 float32 LE)`;

interface FileResult {
  file: string;
  ok: boolean;
  error?: string;
  errorCode?: string;
  model: { name: string; version: string; trained: boolean };
  warnings: QualityWarning[];
  findings: Finding[];
  cam: { shape: number[]; data: number[] } | null;
}

await runCli(USAGE, async () => {
  const { values, positionals: files } = parseArgs({
    options: {
      model: { type: "string", default: env.MODEL_DIR },
      "dump-tensors": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (files.length === 0) throw new UsageError("give at least one image file");
  const dumpDir = values["dump-tensors"];
  if (dumpDir) await mkdir(dumpDir, { recursive: true });

  const model = await loadModel(values.model, { log: stderrLogger });
  const modelInfo = { name: model.manifest.name, version: model.manifest.version, trained: model.manifest.trained };
  if (!modelInfo.trained) stderrLogger.warn({ model: modelInfo.name }, "this model is UNTRAINED: its outputs mean nothing medically");

  const results: FileResult[] = [];
  let failures = 0;
  for (const file of files) {
    try {
      const buf = await readFile(file);
      const r = await analyzeImage(buf, { fileName: path.basename(file), model });
      if (dumpDir) {
        const bytes = Buffer.from(r.input.buffer, r.input.byteOffset, r.input.byteLength);
        await writeFile(path.join(dumpDir, `${path.basename(file)}.f32`), bytes);
      }
      results.push({
        file,
        ok: true,
        model: modelInfo,
        warnings: r.warnings,
        findings: r.findings,
        cam: { shape: r.cam.shape, data: Array.from(r.cam.data) },
      });
    } catch (err) {
      failures++;
      const e = err as Error & { code?: string };
      const missing = (e as { path?: string }).path;
      const message = e.code === "ENOENT" ? `file not found: ${missing ?? file}` : e.code === "EISDIR" ? `${file} is a directory` : e.message;
      results.push({ file, ok: false, error: message, errorCode: e.code, model: modelInfo, warnings: [], findings: [], cam: null });
    }
  }
  await model.close();
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  // Non-zero when any file failed, so scripts notice; the JSON still holds every result.
  return failures > 0 ? 1 : 0;
});
