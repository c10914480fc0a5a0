// `npm run evaluate -- [--model DIR] --labels FILE.csv [--thresholds FILE.json] [--out DIR] FILE...`
// Runs the images through the pipeline of `npm run analyze` and prints ONE JSON object: per labelled
// finding, AUC with its DeLong interval, sensitivity and specificity at the model's operating point and
// at the site threshold, the thresholds giving 90% and 95% sensitivity, and a calibration table.
// --out also writes per finding roc-<label>.png and calibration-<label>.png, and scores.csv.
// --compare DIR runs a second model (e.g. the int8 quantization of the first) on the same films and
// prints instead the paired comparison: per finding AUC difference with DeLong's paired test, max and
// mean |Δ calibrated score|, calls and triage levels that change, and whether the pair is acceptable.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { analyzeFiles } from "@/lib/cli/analyze-files";
import { HELP_OPTION, printedHelp, runCli, stderrLogger, UsageError } from "@/lib/cli/cli-support";
import { env } from "@/lib/env";
import { loadModel, type LoadedModel } from "@/lib/inference/engine";
import { AGREEMENT_FILE, AgreementFile } from "@/lib/inference/precision-choice";
import { compareModels } from "@/lib/validation/compare-models";
import { evaluateSet, UNTRAINED_VALIDATION_NOTICE } from "@/lib/validation/evaluate-set";
import { ThresholdsFile } from "@/lib/validation/input";
import { baseName, LabelsCsvError, parseLabelsCsv, type GroundTruth } from "@/lib/validation/labels-csv";
import { calibrationSvg, rocSvg } from "@/lib/validation/plots-svg";
import { scoresCsv } from "@/lib/validation/scores-csv";

const USAGE = `usage: npm run evaluate -- [--model DIR] [--compare DIR] --labels FILE.csv [--thresholds FILE.json] [--out DIR] FILE...

  --labels FILE.csv     a "file" column (image file name) and one column per finding: 1, 0 or empty (unknown)
  --model DIR           model directory with model.onnx + model.json (default MODEL_DIR=${env.MODEL_DIR})
  --thresholds FILE     the site's triage thresholds on the calibrated score, {"Pneumothorax": 0.3, ...};
                        findings not listed (or all, without the file) use the model's operating point 0.5
  --compare DIR         compare --model (A) with this model (B) on the same films instead (paired DeLong,
                        calibrated-score differences, triage changes); exit code 2 when B is not acceptable
  --save                with --compare: keep the comparison as agreement.json in the --compare model's
                        directory; with MODEL_PRECISION=int8 the app serves that model only when it passed
  --out DIR             also write ROC and calibration plots (PNG) and the per-image scores (scores.csv)`;

/** Both models on every film: agreement over all films, AUCs over the labelled ones. */
async function comparePair(
  a: LoadedModel,
  b: LoadedModel,
  files: string[],
  truthByFile: Map<string, GroundTruth>,
  labels: string[],
  thresholds: Record<string, number>,
) {
  if (JSON.stringify(a.manifest.labels) !== JSON.stringify(b.manifest.labels)) {
    throw new UsageError("the two models have different outputs: only two versions of the same network can be compared");
  }
  const ra = await analyzeFiles(files, a);
  const rb = await analyzeFiles(files, b);
  const films = ra.flatMap((r, i) => (r.ok && rb[i].ok ? [{ file: baseName(r.file), truth: truthByFile.get(baseName(r.file)) ?? {}, a: r.findings, b: rb[i].findings }] : []));
  const describe = (m: LoadedModel) => ({ dir: m.dir, name: m.manifest.name, precision: m.manifest.precision, sha256: m.manifest.onnx.sha256, trained: m.manifest.trained });
  return {
    a: describe(a),
    b: describe(b),
    ...(a.manifest.trained ? {} : { notice: UNTRAINED_VALIDATION_NOTICE }),
    score: { auc: "probability", agreement: "calibrated", thresholds: "calibrated" },
    images: { given: files.length, compared: films.length, labelled: films.filter((f) => Object.keys(f.truth).length > 0).length },
    failed: [...ra, ...rb].filter((r) => !r.ok).map((r) => ({ file: r.file, error: r.error })),
    comparison: compareModels(labels, films, thresholds),
  };
}

const png = (svg: string) => sharp(Buffer.from(svg)).png().toBuffer();
const fileSafe = (label: string) => label.replace(/[^A-Za-z0-9_-]+/g, "_");

await runCli(USAGE, async () => {
  const { values, positionals: files } = parseArgs({
    options: {
      model: { type: "string", default: env.MODEL_DIR },
      labels: { type: "string" },
      thresholds: { type: "string" },
      out: { type: "string" },
      compare: { type: "string" },
      save: { type: "boolean", default: false },
      ...HELP_OPTION,
    },
    allowPositionals: true,
    strict: true,
  });
  if (printedHelp(values, USAGE)) return 0;
  if (!values.labels) throw new UsageError("give the labels file: --labels FILE.csv");
  if (files.length === 0) throw new UsageError("give at least one image file");
  const names = files.map(baseName);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new UsageError(`two images are named ${duplicate}: the labels file matches images by file name`);

  let siteThresholds: Record<string, number> = {};
  if (values.thresholds) {
    const parsed = ThresholdsFile.safeParse(JSON.parse(await readFile(values.thresholds, "utf8")));
    if (!parsed.success) throw new UsageError(`${values.thresholds}: expected {"<finding>": <threshold 0..1>, ...}`);
    siteThresholds = parsed.data;
  }

  const model = await loadModel(values.model, { log: stderrLogger });
  const { manifest } = model;
  let labels;
  try {
    labels = parseLabelsCsv(await readFile(values.labels, "utf8"), manifest.labels);
  } catch (error) {
    await model.close();
    if (error instanceof LabelsCsvError) throw new UsageError(`${values.labels}: ${error.message}`);
    throw error;
  }
  if (!manifest.trained) stderrLogger.warn({ model: manifest.name }, "this model is UNTRAINED: AUCs near 0.5 are expected");

  const truthByFile = new Map(labels.rows.map((r) => [r.file, r.labels]));
  if (values.compare) {
    const other = await loadModel(values.compare, { log: stderrLogger }).catch(async (e) => {
      await model.close();
      throw e;
    });
    try {
      const report = await comparePair(model, other, files, truthByFile, labels.labels, siteThresholds);
      if (values.save) {
        const saved = AgreementFile.parse({ comparedAt: new Date().toISOString(), ...report });
        await writeFile(path.join(values.compare, AGREEMENT_FILE), `${JSON.stringify(saved, null, 2)}\n`);
        stderrLogger.info({ file: path.join(values.compare, AGREEMENT_FILE), acceptable: report.comparison.acceptable }, "comparison saved");
      }
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return report.failed.length > 0 ? 1 : report.comparison.acceptable ? 0 : 2;
    } finally {
      await Promise.all([model.close(), other.close()]);
    }
  }
  const labelled = files.filter((f) => truthByFile.has(baseName(f)));
  const results = await analyzeFiles(labelled, model);
  await model.close();

  const analysed = results.filter((r) => r.ok);
  // A finding the model does not assess (no operating point in its release) has no score to evaluate.
  const cases = analysed.map((r) => ({ file: baseName(r.file), truth: truthByFile.get(baseName(r.file))!, findings: r.findings.filter((f) => f.assessed) }));
  const evaluations = evaluateSet(labels.labels, cases, siteThresholds);

  if (values.out) {
    await mkdir(values.out, { recursive: true });
    for (const e of evaluations) {
      await writeFile(path.join(values.out, `roc-${fileSafe(e.label)}.png`), await png(rocSvg(e)));
      await writeFile(path.join(values.out, `calibration-${fileSafe(e.label)}.png`), await png(calibrationSvg(e)));
    }
    await writeFile(path.join(values.out, "scores.csv"), scoresCsv(labels.labels, cases));
  }

  const listed = new Set(names);
  const report = {
    model: { name: manifest.name, version: manifest.version, trained: manifest.trained },
    ...(manifest.trained ? {} : { notice: UNTRAINED_VALIDATION_NOTICE }),
    score: { auc: "probability", calibration: "probability", thresholds: "calibrated" },
    siteThresholds: values.thresholds ? "file" : "operating point (no --thresholds file)",
    images: { given: files.length, labelled: labelled.length, analysed: analysed.length },
    failed: results.filter((r) => !r.ok).map((r) => ({ file: r.file, error: r.error })),
    unlabelledFiles: files.filter((f) => !truthByFile.has(baseName(f))),
    rowsWithoutImage: labels.rows.filter((r) => !listed.has(r.file)).map((r) => r.file),
    ignoredColumns: labels.ignoredColumns,
    // The ROC points go to the plots, not the report.
    findings: evaluations.map((e) => ({ ...e, roc: undefined })),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return report.failed.length > 0 ? 1 : 0;
});
