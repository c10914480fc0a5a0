// `npm run bench [-- --model DIR] [--iterations N]`: latency and throughput of the analysis pipeline on
// this machine. Prints a table, then one last line `BENCH {json}` for scripts. Medians, not means: other
// processes on a small machine make single runs noisy. No assertions: timings are information.
import os from "node:os";
import { parseArgs } from "node:util";
import { analyzeImage } from "@/lib/analysis/analyze-image";
import { benchSamples, defaultBenchModel, plainExportModel } from "@/lib/cli/bench-samples";
import { runCli, stderrLogger, UsageError } from "@/lib/cli/cli-support";
import { env } from "@/lib/env";
import { decodeImage, preprocessForModel } from "@/lib/imaging";
import { loadModel, type LoadedModel } from "@/lib/inference/engine";

// PyTorch 1.13 on this machine with 2 threads (issue #2): 152 ms for one image, 24.6 img/s at batch 8.
const PYTORCH = { singleMs: 152, imagesPerSecond: 24.6 };

const USAGE = `usage: npm run bench [-- --model DIR] [--iterations N] [--no-compare]

  --model DIR      model to time (default: the fixture checkpoint converted to a temporary directory,
                   or the seeded demo model when the fixtures are absent)
  --iterations N   timed repetitions per latency measurement (default 30)
  --no-compare     skip the same-moment comparison with a plain-export graph of the same network`;

let peakRss = 0;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function timeIt(n: number, fn: () => Promise<unknown> | unknown): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 2; i++) await fn(); // warm caches and allocator
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
    sampleRss();
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

async function throughput(model: LoadedModel, input: Float32Array, batch: number, images: number): Promise<number> {
  const inputs = Array.from({ length: batch }, () => input);
  await model.run(inputs);
  const rounds = Math.ceil(images / batch);
  const t = performance.now();
  for (let r = 0; r < rounds; r++) await model.run(inputs);
  sampleRss();
  return (rounds * batch * 1000) / (performance.now() - t);
}

/** Independent callers each sending one image at a time: what the web server sees. */
async function concurrentCallers(model: LoadedModel, input: Float32Array, callers: number, images: number) {
  const before = model.stats();
  let left = images;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (left-- > 0) await model.run([input]);
    }),
  );
  const elapsed = performance.now() - t;
  const after = model.stats();
  return { imagesPerSecond: (images * 1000) / elapsed, meanBatch: (after.items - before.items) / (after.batches - before.batches) };
}

const r1 = (x: number) => Math.round(x * 10) / 10;

await runCli(USAGE, async () => {
  const { values } = parseArgs({
    options: {
      model: { type: "string" },
      iterations: { type: "string", default: "30" },
      "no-compare": { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const n = Number(values.iterations);
  if (!Number.isInteger(n) || n < 3) throw new UsageError("--iterations must be an integer >= 3");

  const { dir, origin } = values.model ? { dir: values.model, origin: "given with --model" } : await defaultBenchModel();
  const samples = await benchSamples();

  const t0 = performance.now();
  const model = await loadModel(dir, { log: stderrLogger });
  const modelLoadMs = performance.now() - t0;

  const png = samples.find((s) => s.format === "PNG")!;
  const decodedPng = await decodeImage(png.buf, { fileName: png.name, qualityGates: "warn" });
  const input = preprocessForModel(decodedPng);

  const decodePreprocess: Record<string, number> = {};
  for (const s of samples) {
    const t = await timeIt(Math.max(5, Math.round(n / 3)), async () => preprocessForModel(await decodeImage(s.buf, { fileName: s.name, qualityGates: "warn" })));
    decodePreprocess[s.format] = r1(t.p50);
  }
  const preprocess = await timeIt(n, () => preprocessForModel(decodedPng));
  const inference = await timeIt(n, () => model.run([input]));
  const total = await timeIt(n, () => analyzeImage(png.buf, { fileName: png.name, model, qualityGates: "warn" }));
  const tp: Record<string, number> = {};
  for (const b of [1, 4, 8]) tp[`batch${b}`] = r1(await throughput(model, input, b, 64));
  const concurrent = await concurrentCallers(model, input, 8, 64);
  const best = Math.max(...Object.values(tp), concurrent.imagesPerSecond);

  // Same moment, same machine: our graph against a plain-export graph of the same network, runs
  // interleaved so that load from other processes hits both alike.
  let comparison: { plainInferenceP50: number; oursInferenceP50: number; plainBatch8: number; oursBatch8: number } | null = null;
  const servingRss = peakRss;
  if (!values["no-compare"]) {
    const plain = await loadModel(await plainExportModel(), { log: stderrLogger });
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < n; i++) {
      for (const [m, into] of [[model, ours], [plain, theirs]] as const) {
        const t = performance.now();
        await m.run([input]);
        into.push(performance.now() - t);
      }
    }
    ours.sort((a, b) => a - b);
    theirs.sort((a, b) => a - b);
    const oursBatch8 = await throughput(model, input, 8, 32);
    const plainBatch8 = await throughput(plain, input, 8, 32);
    comparison = { plainInferenceP50: r1(percentile(theirs, 50)), oursInferenceP50: r1(percentile(ours, 50)), plainBatch8: r1(plainBatch8), oursBatch8: r1(oursBatch8) };
    await plain.close();
  }
  await model.close();

  const result = {
    model: { name: model.manifest.name, trained: model.manifest.trained, origin, provider: model.provider },
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? "unknown", intraOpThreads: env.ORT_INTRA_OP_THREADS, interOpThreads: env.ORT_INTER_OP_THREADS },
    iterations: n,
    modelLoadMs: Math.round(modelLoadMs),
    latencyMs: {
      preprocess: { p50: r1(preprocess.p50), p95: r1(preprocess.p95) },
      inference: { p50: r1(inference.p50), p95: r1(inference.p95) },
      total: { p50: r1(total.p50), p95: r1(total.p95) },
    },
    throughput: { ...tp, concurrent8: r1(concurrent.imagesPerSecond), concurrent8MeanBatch: r1(concurrent.meanBatch), best: r1(best) },
    decodePreprocessP50Ms: decodePreprocess,
    samples: Object.fromEntries(samples.map((s) => [s.format, `${s.source}: ${s.name}`])),
    /** Largest resident set sampled while serving (model conversion for the benchmark excluded). */
    peakRssMb: Math.round(servingRss / 2 ** 20),
    vsPlainExport: comparison && {
      ...comparison,
      latencySpeedup: Math.round((comparison.plainInferenceP50 / comparison.oursInferenceP50) * 100) / 100,
      throughputSpeedup: Math.round((comparison.oursBatch8 / comparison.plainBatch8) * 100) / 100,
    },
    vsPytorch: { ...PYTORCH, singleSpeedup: r1(PYTORCH.singleMs / inference.p50), throughputRatio: Math.round((best / PYTORCH.imagesPerSecond) * 100) / 100 },
  };

  const rows: [string, string][] = [
    ["model", `${result.model.name} (${result.model.trained ? "trained" : "UNTRAINED"}; ${origin})`],
    ["provider / threads", `${model.provider}, intra-op ${env.ORT_INTRA_OP_THREADS}, inter-op ${env.ORT_INTER_OP_THREADS}, ${result.machine.cpus} CPUs`],
    ["model load (incl. warm-up)", `${result.modelLoadMs} ms`],
    ["preprocess p50 / p95", `${result.latencyMs.preprocess.p50} / ${result.latencyMs.preprocess.p95} ms`],
    ["inference p50 / p95 (1 image)", `${result.latencyMs.inference.p50} / ${result.latencyMs.inference.p95} ms`],
    ["total p50 / p95 (PNG file -> findings)", `${result.latencyMs.total.p50} / ${result.latencyMs.total.p95} ms`],
    ["throughput batch 1 / 4 / 8", `${tp.batch1} / ${tp.batch4} / ${tp.batch8} img/s`],
    ["throughput 8 concurrent callers", `${result.throughput.concurrent8} img/s (mean batch ${result.throughput.concurrent8MeanBatch})`],
    ...samples.map((s): [string, string] => [`decode+preprocess p50, ${s.format}`, `${decodePreprocess[s.format]} ms (${s.source})`]),
    ["peak RSS while serving", `${result.peakRssMb} MB`],
    ...(result.vsPlainExport
      ? ([
          ["plain-export graph, same moment: p50", `${result.vsPlainExport.plainInferenceP50} ms vs ours ${result.vsPlainExport.oursInferenceP50} ms (${result.vsPlainExport.latencySpeedup}x)`],
          ["plain-export graph, same moment: batch 8", `${result.vsPlainExport.plainBatch8} img/s vs ours ${result.vsPlainExport.oursBatch8} img/s (${result.vsPlainExport.throughputSpeedup}x)`],
        ] as [string, string][])
      : []),
    ["vs PyTorch (152 ms, 24.6 img/s)", `${result.vsPytorch.singleSpeedup}x faster single, ${result.vsPytorch.throughputRatio}x throughput`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`${rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join("\n")}\n`);
  process.stdout.write(`BENCH ${JSON.stringify(result)}\n`);
});
