// `npm run model:quantize -- [--model DIR] --out DIR [--calibration DIR|FILE]... [--agreement-limit X|off] [--ranges mse|minmax]`
// A converted float32 model directory in, an int8 (QDQ) one out, its activation ranges calibrated on
// films: images in any format `npm run analyze` reads, or preprocessed .f32 model inputs.
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { HELP_OPTION, printedHelp, runCli, stderrLogger, UsageError } from "@/lib/cli/cli-support";
import { env } from "@/lib/env";
import { DEFAULT_AGREEMENT_LIMIT, quantizeModel } from "@/lib/model-builder/quantize/quantize-model";
import { readManifest } from "@/lib/inference/model-dir";
import { prepareImage } from "@/lib/pipeline/analyze-image";

const FIXTURE_FILMS = "../shared/fixtures/xrv/images";

const USAGE = `usage: npm run model:quantize -- [--model DIR] --out DIR [--calibration DIR|FILE]... [--agreement-limit X|off] [--ranges mse|minmax]

  --model        float32 model directory (model.onnx + model.json; default MODEL_DIR=${env.MODEL_DIR})
  --out          directory to write the int8 model.onnx and model.json into
  --calibration  films whose activations set the int8 ranges: a directory or files, repeatable; images
                 (PNG, JPEG, DICOM) or preprocessed .f32 inputs. Use the site's own films when you have
                 them; default: the fixture films (${FIXTURE_FILMS})
  --agreement-limit  max |Δ calibrated score| against the float32 model on the calibration films (and no
                 call changed): convolutions stay float32 from the first on until it holds, measured
                 (default ${DEFAULT_AGREEMENT_LIMIT}, half the acceptance limit); "off": all int8, unmeasured
  --ranges       activation ranges: mse (least squared error, default) or minmax`;

async function listFiles(entries: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const e of entries) {
    const s = await stat(e).catch(() => null);
    if (!s) throw new UsageError(`calibration path not found: ${e}`);
    if (s.isDirectory()) {
      const names = (await readdir(e)).filter((n) => !n.startsWith(".")).sort();
      files.push(...names.map((n) => path.join(e, n)));
    } else files.push(e);
  }
  return files;
}

await runCli(USAGE, async () => {
  const { values } = parseArgs({
    options: {
      model: { type: "string", default: env.MODEL_DIR },
      out: { type: "string" },
      calibration: { type: "string", multiple: true },
      "agreement-limit": { type: "string", default: String(DEFAULT_AGREEMENT_LIMIT) },
      ranges: { type: "string", default: "mse" },
      ...HELP_OPTION,
    },
    strict: true,
  });
  if (printedHelp(values, USAGE)) return 0;
  if (!values.out) throw new UsageError("--out is required");
  if (path.resolve(values.out) === path.resolve(values.model)) throw new UsageError("--out must differ from --model (the float32 model stays)");
  const limitText = values["agreement-limit"];
  const agreementLimit = limitText === "off" ? null : Number(limitText);
  if (agreementLimit !== null && !(Number.isFinite(agreementLimit) && agreementLimit >= 0 && agreementLimit < 1)) {
    throw new UsageError(`--agreement-limit must be a number in [0, 1) or "off", got ${limitText}`);
  }
  const rangeMethod = values.ranges;
  if (rangeMethod !== "mse" && rangeMethod !== "minmax") throw new UsageError(`--ranges must be mse or minmax, got ${rangeMethod}`);
  const given = values.calibration ?? [FIXTURE_FILMS];
  const files = await listFiles(given);
  const source = await readManifest(values.model);
  const pixels = source.input.shape[1] * source.input.size * source.input.size;

  const t0 = performance.now();
  const inputs: Float32Array[] = [];
  const used: string[] = [];
  for (const file of files) {
    const buf = await readFile(file);
    if (file.endsWith(".f32")) {
      if (buf.byteLength !== pixels * 4) throw new UsageError(`${file}: ${buf.byteLength} bytes, expected ${pixels * 4} (one ${source.input.size}x${source.input.size} input)`);
      inputs.push(new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)));
      used.push(path.basename(file));
      continue;
    }
    try {
      inputs.push((await prepareImage(buf, { fileName: path.basename(file) })).input);
      used.push(path.basename(file));
    } catch (error) {
      stderrLogger.warn({ file: path.basename(file), error: (error as Error).message }, "not used for calibration: cannot read this film");
    }
  }
  if (inputs.length === 0) throw new UsageError(`no readable film among ${files.length} calibration file(s)`);
  const result = await quantizeModel({
    modelDir: values.model,
    outDir: values.out,
    calibration: inputs,
    calibrationSet: `${given.join(", ")}: ${used.join(", ")}`,
    agreementLimit,
    rangeMethod,
  });
  const agreement = result.manifest.quantization?.agreement;
  const { manifest: m, summary: s } = result;
  process.stdout.write(
    [
      `quantized ${m.name} to int8 in ${Math.round(performance.now() - t0)} ms, calibrated on ${inputs.length} film(s)`,
      `  convolutions  ${s.convs} int8 (weights ${(s.weightBytes.float / 1e6).toFixed(1)} MB float32 -> ${(s.weightBytes.int8 / 1e6).toFixed(1)} MB int8), ${s.points} activation quantization points, ${s.droppedRelus} ReLUs folded into zero points`,
      agreement
        ? `  agreement     max |Δ calibrated| ${agreement.chosen.maxAbsCalibratedDifference.toFixed(4)} <= ${agreement.limit} on the calibration films with ${agreement.chosen.int8Convs} convolutions int8, from ${agreement.firstInt8Conv} (${agreement.probes.length} measurements: ${agreement.probes.map((p) => `${p.int8Convs} int8 -> ${p.maxAbsCalibratedDifference.toFixed(3)}`).join(", ")})`
        : "  agreement     not measured (--agreement-limit off)",
      `  kept float32  ${result.skipped.length} convolutions: ${result.skipped.slice(0, 3).map((k) => `${k.node} (${k.why})`).join("; ")}${result.skipped.length > 3 ? "; ..." : ""}`,
      `  model         ${path.join(values.out, "model.onnx")} (${(m.onnx.bytes / 1e6).toFixed(1)} MB)`,
      `  manifest      ${path.join(values.out, "model.json")} (precision ${m.precision}, trained: ${m.trained})`,
      "",
    ].join("\n"),
  );
});
