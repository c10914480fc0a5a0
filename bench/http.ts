// `npm run bench:http [-- --seconds 20 --connections 16 --workers 1 --cpu-prof DIR]`: upload-to-result
// over HTTP against the speed of the model alone, in one run. The BUILT app on a fresh PostgreSQL
// database (bench-app.ts: one web process, worker processes, loopback only) is loaded for a fixed time by
// N connections that each upload a NEW film every request (so renderings are made each time) with
// `Prefer: wait=60`, so each answer carries the completed result. It prints completed/s, p50/p99, the
// CPU each upload cost (web, worker, PostgreSQL), the stage timings the app recorded on each analysis,
// and then, with the app idle, the model's own batch-8 throughput and the CPU of the image work every
// new film needs (decode, model input, renderings), which caps completed/s ÷ model-only however cheap
// the rest becomes. The last line is `BENCH_HTTP {json}`. Figures, not assertions. --cpu-prof writes V8
// CPU profiles of the web and worker processes into DIR (node --cpu-prof).
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { cpuMs, percentile, postgresCpuMs, startBenchApp, uploadAndWait } from "@/bench/app";
import { timeBatches } from "@/bench/load";
import { HELP_OPTION, printedHelp, runCli, stderrLogger, UsageError } from "@/lib/cli/cli-support";
import { env } from "@/lib/env";
import { decodeImage, preprocessForModel, renderDisplayImages } from "@/lib/imaging";
import { relabeledPng, syntheticFilmPng } from "@/test/support/imaging/synthetic-film";
import { loadModel } from "@/lib/inference/engine";

const USAGE = `usage: npm run bench:http [-- --seconds S] [--connections N] [--workers W] [--image-size PX] [--cpu-prof DIR]

  --seconds S        how long new uploads are sent (default 20); in-flight ones are then finished
  --connections N    concurrent uploaders (default 16)
  --workers W        worker processes beside the web process (default 1)
  --image-size PX    side of the generated PNG films (default 512)
  --cpu-prof DIR     write V8 CPU profiles of the web and worker processes into DIR
  --database-admin-url URL   PostgreSQL to create the benchmark database on (default local postgres)`;

const DRAWN_PER_SECOND = 40;
const r1 = (x: number) => Math.round(x * 10) / 10;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

await runCli(USAGE, async () => {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "20" },
      connections: { type: "string", default: "16" },
      workers: { type: "string", default: "1" },
      "image-size": { type: "string", default: "512" },
      "cpu-prof": { type: "string" },
      "database-admin-url": { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
      ...HELP_OPTION,
    },
    strict: true,
  });
  if (printedHelp(values, USAGE)) return 0;
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const workerCount = Number(values.workers);
  const imageSize = Number(values["image-size"]);
  if (!(seconds > 0 && seconds <= 600)) throw new UsageError("--seconds must be between 0 and 600");
  if (!Number.isInteger(connections) || connections < 1) throw new UsageError("--connections must be a positive integer");
  if (!Number.isInteger(workerCount) || workerCount < 0) throw new UsageError("--workers must be a non-negative integer");
  if (!Number.isInteger(imageSize) || imageSize < 64) throw new UsageError("--image-size must be an integer >= 64");
  const profDir = values["cpu-prof"] ? path.resolve(values["cpu-prof"]) : null;

  const app = await startBenchApp({
    workers: workerCount,
    databaseAdminUrl: values["database-admin-url"],
    nodeFlags: profDir ? ["--cpu-prof", "--cpu-prof-dir", profDir] : [],
  });
  try {
    let seed = 1;
    const nextFilm = () => syntheticFilmPng(seed++, imageSize);
    // Warm-up: the model's first runs and Next.js's first compilations of the route are not measured.
    for (const film of await Promise.all([nextFilm(), nextFilm(), nextFilm(), nextFilm()])) {
      const r = await uploadAndWait(app.baseUrl, app.key, film, "warm.png", Date.now() + 120_000);
      if (r.kind !== "completed") throw new Error("the warm-up upload did not complete");
    }

    const processes = () => ({
      webMs: cpuMs(app.web.pid!),
      workerMs: app.workers.reduce((s, w) => s + cpuMs(w.pid!), 0),
      postgresMs: postgresCpuMs(app.databaseName),
    });
    // Every upload is a new film (pixels of its own), drawn before the clock starts: drawing one takes
    // ~30 ms of this process's CPU, from the same two cores as the app, and held its event loop from
    // sending and receiving (about 0.15 s of every measured upload). Enough are drawn for 40 uploads a
    // second; should a run go faster, the rest are drawn films under a new tEXt label (another sha256,
    // so decoded, analysed and rendered as a new file), and the report counts them.
    const drawn = await Promise.all(Array.from({ length: Math.ceil(seconds * DRAWN_PER_SECOND) }, () => nextFilm()));
    let relabeled = 0;
    const filmFor = (i: number) => {
      if (i < drawn.length) return drawn[i];
      relabeled++;
      return relabeledPng(drawn[i % drawn.length], `bench ${i}`);
    };
    const sendUntil = Date.now() + seconds * 1000;
    const hardDeadline = sendUntil + 120_000;
    const times: number[] = [];
    const ids: string[] = [];
    let refusals = 0;
    let errors = 0;
    let failed = 0;
    let n = 0;
    const cpu0 = processes();
    const clientCpu0 = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (Date.now() < sendUntil) {
          const film = filmFor(n);
          const r = await uploadAndWait(app.baseUrl, app.key, film, `bench-${n++}.png`, hardDeadline);
          refusals += r.refusals;
          if (r.kind === "completed") {
            times.push(r.seconds * 1000);
            ids.push(r.id!);
          } else if (r.kind === "failed") failed++;
          else errors++;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const cpu1 = processes();
    const clientCpu = process.cpuUsage(clientCpu0);
    const completed = times.length;
    const perUpload = (ms: number) => (completed ? r1(ms / completed) : null);
    const coreMs = {
      web: perUpload(cpu1.webMs - cpu0.webMs),
      worker: perUpload(cpu1.workerMs - cpu0.workerMs),
      postgres: perUpload(cpu1.postgresMs - cpu0.postgresMs),
      total: perUpload(cpu1.webMs - cpu0.webMs + cpu1.workerMs - cpu0.workerMs + cpu1.postgresMs - cpu0.postgresMs),
      /** This process (the uploading clients), on the same cores: not part of the total. */
      client: perUpload((clientCpu.user + clientCpu.system) / 1000),
    };

    // The stage durations the worker recorded on each analysis (wall-clock ms; a batch's inference is
    // shared by the images of the batch).
    const sql = postgres(app.databaseUrl, { max: 1, onnotice: () => {} });
    const rows = ids.length
      ? await sql<{ timings: Record<string, number> }[]>`select timings from analyses where id = any(${ids}::uuid[])`
      : [];
    await sql.end();
    const stageNames = [...new Set(rows.flatMap((r) => Object.keys(r.timings)))];
    const stagesMs = Object.fromEntries(stageNames.map((s) => [s, r1(mean(rows.map((r) => r.timings[s] ?? 0)))]));

    // The model alone, same run, same machine, with the app idle: batch 8 as the workers batch.
    const model = await loadModel(app.modelDir, { log: stderrLogger });
    const input = preprocessForModel(await decodeImage(await nextFilm(), { fileName: "model-only.png", qualityGates: "warn" }));
    const cpuBefore = process.cpuUsage();
    const batchTimes = await timeBatches(model, input, 8, 96);
    const cpuUsed = process.cpuUsage(cpuBefore);
    // timeBatches runs one untimed batch first, then windows of one batch each (batch 8 >= its window).
    const modelOnlyCoreMsPerImage = r1((cpuUsed.user + cpuUsed.system) / 1000 / (8 * (batchTimes.windows + 1)));
    await model.close();
    const modelOnlyBatch8 = r1(8000 / percentile(batchTimes.ms, 50)!);

    // The image work every upload needs whatever surrounds it (decode with its checks, model input,
    // display image and thumbnail), on new films in this process, with the app idle. With the model it
    // bounds the ratio: were HTTP, the database and the queue free, CPU-bound uploads could go no faster
    // than model / (model + image work) of the model alone.
    const films = await Promise.all(Array.from({ length: 24 }, () => nextFilm()));
    const imageWork = async (film: Buffer) => {
      const decoded = await decodeImage(film, { fileName: "image-work.png", qualityGates: "warn" });
      preprocessForModel(decoded);
      await renderDisplayImages(decoded);
    };
    for (const film of films.slice(0, 4)) await imageWork(film);
    const imageCpuBefore = process.cpuUsage();
    for (const film of films.slice(4)) await imageWork(film);
    const imageCpu = process.cpuUsage(imageCpuBefore);
    const imageWorkCoreMs = r1((imageCpu.user + imageCpu.system) / 1000 / (films.length - 4));
    const ratioCeiling = Math.round((modelOnlyCoreMsPerImage / (modelOnlyCoreMsPerImage + imageWorkCoreMs)) * 100) / 100;

    const completedPerSecond = r1(completed / elapsed);
    const result = {
      connections,
      workers: workerCount,
      imageSize,
      sendSeconds: seconds,
      elapsedSeconds: r1(elapsed),
      cpus: os.cpus().length,
      loadAverage: os.loadavg().map(r1),
      intraOpThreads: env.ORT_INTRA_OP_THREADS,
      completed,
      failed,
      errors,
      refusals,
      /** Uploads that were a drawn film under a new label because the run outpaced the films drawn. */
      relabeled,
      completedPerSecond,
      p50Ms: percentile(times, 50) === null ? null : Math.round(percentile(times, 50)!),
      p99Ms: percentile(times, 99) === null ? null : Math.round(percentile(times, 99)!),
      coreMsPerUpload: coreMs,
      stageMsPerUpload: stagesMs,
      modelOnlyBatch8,
      modelOnlyCoreMsPerImage,
      modelOnlyWindowsBusy: `${batchTimes.busy} of ${batchTimes.windows}`,
      imageWorkCoreMsPerUpload: imageWorkCoreMs,
      ratioCeiling,
      /** The model's share of what an upload costs in CPU: less disturbed by other load than the rates. */
      coreMsShareOfModel: coreMs.total ? Math.round((modelOnlyCoreMsPerImage / coreMs.total) * 100) / 100 : null,
      ratio: Math.round((completedPerSecond / modelOnlyBatch8) * 100) / 100,
      cpuProfiles: profDir,
    };
    const rowsOut: [string, string][] = [
      ["load", `${connections} connections, ${seconds} s of new ${imageSize}px PNG films, ${workerCount} worker process(es), ${result.cpus} CPUs, load average ${result.loadAverage.join(" ")}`],
      ["completed", `${completed} (${failed} failed, ${errors} errors, ${refusals} refusals ridden out) in ${result.elapsedSeconds} s`],
      ["new films", `${n} uploads: ${n - relabeled} of films drawn for the run, ${relabeled} of drawn films again under a new label`],
      ["completed/s", String(completedPerSecond)],
      ["upload-to-result p50 / p99", `${result.p50Ms} / ${result.p99Ms} ms`],
      ["core-ms per upload", `${coreMs.total} = web ${coreMs.web} + worker ${coreMs.worker} + PostgreSQL ${coreMs.postgres} (and the clients ${coreMs.client})`],
      ["stage ms per upload (recorded)", Object.entries(stagesMs).map(([k, v]) => `${k} ${v}`).join(", ")],
      ["model only, batch 8, same run", `${modelOnlyBatch8} img/s, ${modelOnlyCoreMsPerImage} core-ms/image (busy windows ${result.modelOnlyWindowsBusy})`],
      ["image work alone, same run", `${imageWorkCoreMs} core-ms per upload (decode, model input, display image, thumbnail)`],
      ["model core-ms ÷ upload core-ms", String(result.coreMsShareOfModel)],
      ["ratio ceiling (image work only)", `${ratioCeiling} = model ÷ (model + image work), in core-ms`],
      ["completed/s ÷ model-only", String(result.ratio)],
    ];
    const w = Math.max(...rowsOut.map(([k]) => k.length));
    process.stdout.write(`${rowsOut.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join("\n")}\n`);
    process.stdout.write(`BENCH_HTTP ${JSON.stringify(result)}\n`);
  } finally {
    await app.stop();
  }
});
