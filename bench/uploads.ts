// `npm run bench:load [-- --clients 16 --poll-burst 500 --poll-ms 500 --model DIR --workers 1 --cpu-prof DIR --database-admin-url URL]`: the BUILT app on
// a fresh PostgreSQL database, one web process (WORKERS_IN_WEB=false) and worker processes, loaded over
// loopback by N clients that each upload NEW films (every image distinct) through the v1 API with
// `Prefer: wait` and an Idempotency-Key. For each N it prints accepted/s, analysed/s, p50/p99 time to a
// completed result, refusals and errors, the CPU each upload cost by process (web, workers, PostgreSQL,
// this client) and the highest RSS each process reached in the phase, and at the end the peak RSS of
// the web and worker processes; the last line is `BENCH_LOAD {json}`. Figures, not assertions. Bounded: every phase sends a fixed
// number of uploads, every request has a deadline, and the whole run stops after --max-minutes.
// --poll-burst N (default 500) ends the run with a burst: N clients each upload one film at once
// WITHOUT Prefer: wait, then read its status every --poll-ms (500) whatever Retry-After says; a 429
// is expected and followed by the next read. Its completed/s is set against the steady rate of the
// 16-client phase (or the phase nearest to 16 clients) of the same run: `burstToSteady`.
import os from "node:os";
import { parseArgs } from "node:util";
import path from "node:path";
import postgres from "postgres";
import { cpuMs, peakRssMb, percentile, postgresCpuMs, rssMb, startBenchApp, uploadAndWait, uploadThenPoll, type BenchApp, type PollOutcome, type UploadOutcome } from "@/bench/app";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";

const { values: args } = parseArgs({
  options: {
    clients: { type: "string", default: "16" },
    "poll-burst": { type: "string", default: "500" },
    "poll-ms": { type: "string", default: "500" },
    workers: { type: "string", default: "1" },
    "database-admin-url": { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    "image-size": { type: "string", default: "512" },
    "max-minutes": { type: "string", default: "20" },
    "cpu-prof": { type: "string" },
    model: { type: "string" },
  },
});
const clientCounts = args.clients.split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0);
const workerCount = Math.max(0, Number(args.workers));
const imageSize = Number(args["image-size"]);
const burstClients = Math.max(0, Number(args["poll-burst"]));
const pollMs = Math.max(50, Number(args["poll-ms"]));
const deadline = Date.now() + Number(args["max-minutes"]) * 60_000;
/** Uploads per phase: enough for a steady rate with few clients, one each for the burst. */
const uploadsFor = (clients: number) => Math.max(clients, Math.min(200, clients * 25));

interface PhaseResult {
  /** "wait": uploads with Prefer: wait; "poll": the burst of impatient pollers. */
  mode: "wait" | "poll";
  clients: number;
  /** poll mode: status reads sent, answered 429, failed otherwise. */
  polls?: { sent: number; refused429: number; errors: number };
  uploads: number;
  accepted: number;
  analysed: number;
  refusals: number;
  errors: number;
  acceptedPerSecond: number;
  analysedPerSecond: number;
  p50Seconds: number | null;
  p99Seconds: number | null;
  seconds: number;
  /** CPU per analysed upload, in core-ms, by process. */
  coreMsPerUpload: { web: number; worker: number; postgres: number; client: number };
  /** Highest resident set each process reached during the phase, in MB (sampled every 250 ms). */
  rssMb: { web: number; worker: number[] };
  /**
   * What the database holds for this phase's uploads once the phase is over: an upload the client
   * counts as an error but the server accepted would show here (accepted, never answered).
   */
  recorded: { analyses: number; completed: number; failed: number; unfinished: number };
}

const r1 = (x: number) => Math.round(x * 10) / 10;

function cpuNow(app: BenchApp) {
  const own = process.cpuUsage();
  return {
    web: cpuMs(app.web.pid!),
    worker: app.workers.reduce((sum, w) => sum + cpuMs(w.pid!), 0),
    postgres: postgresCpuMs(app.databaseName),
    client: (own.user + own.system) / 1000,
  };
}

async function runPhase(app: BenchApp, clients: number, films: Buffer[], mode: "wait" | "poll" = "wait"): Promise<PhaseResult> {
  const { baseUrl, key } = app;
  const rss = { web: 0, worker: app.workers.map(() => 0) };
  const sampleRss = () => {
    rss.web = Math.max(rss.web, rssMb(app.web.pid!));
    app.workers.forEach((w, i) => (rss.worker[i] = Math.max(rss.worker[i], rssMb(w.pid!))));
  };
  const sampler = setInterval(sampleRss, 250);
  const cpuBefore = cpuNow(app);
  const started = performance.now();
  let next = 0;
  let accepted = 0;
  let refusals = 0;
  let errors = 0;
  let lastAccepted = started;
  let lastAnalysed = started;
  const times: number[] = [];
  const polls = { sent: 0, refused429: 0, errors: 0 };
  async function one(film: Buffer, index: number): Promise<void> {
    const name = `bench-${mode}-${clients}-${index}.png`;
    let r: UploadOutcome;
    if (mode === "wait") r = await uploadAndWait(baseUrl, key, film, name, deadline);
    else {
      const p: PollOutcome = await uploadThenPoll(baseUrl, key, film, name, deadline, pollMs);
      polls.sent += p.polls;
      polls.refused429 += p.pollsRefused;
      polls.errors += p.pollErrors;
      errors += p.pollErrors;
      r = p;
    }
    refusals += r.refusals;
    if (r.acceptedAt !== null) {
      accepted++;
      lastAccepted = Math.max(lastAccepted, r.acceptedAt);
    }
    if (r.kind !== "completed") {
      errors++;
      return;
    }
    lastAnalysed = performance.now();
    times.push(r.seconds);
  }

  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < films.length; i = next++) await one(films[i], i);
    }),
  );
  clearInterval(sampler);
  sampleRss();
  const cpuAfter = cpuNow(app);
  const perUpload = (k: keyof typeof cpuAfter) => Math.round((cpuAfter[k] - cpuBefore[k]) / Math.max(1, times.length));
  const recorded = await recordedFor(app, `bench-${mode}-${clients}-`);
  const acceptedSeconds = (lastAccepted - started) / 1000;
  const analysedSeconds = (lastAnalysed - started) / 1000;
  return {
    mode,
    clients,
    ...(mode === "poll" ? { polls } : {}),
    uploads: films.length,
    accepted,
    analysed: times.length,
    refusals,
    errors,
    acceptedPerSecond: r1(accepted / Math.max(acceptedSeconds, 1e-3)),
    analysedPerSecond: r1(times.length / Math.max(analysedSeconds, 1e-3)),
    p50Seconds: Math.round(percentile(times.map((t) => t * 1000), 50) ?? NaN) / 1000,
    p99Seconds: Math.round(percentile(times.map((t) => t * 1000), 99) ?? NaN) / 1000,
    seconds: r1((performance.now() - started) / 1000),
    coreMsPerUpload: { web: perUpload("web"), worker: perUpload("worker"), postgres: perUpload("postgres"), client: perUpload("client") },
    rssMb: rss,
    recorded,
  };
}

async function recordedFor(app: BenchApp, fileNamePrefix: string): Promise<PhaseResult["recorded"]> {
  const sql = postgres(app.databaseUrl, { max: 1, onnotice: () => undefined });
  try {
    const [row] = await sql<{ analyses: number; completed: number; failed: number }[]>`
      select count(*)::int as analyses, (count(*) filter (where status = 'completed'))::int as completed,
             (count(*) filter (where status = 'failed'))::int as failed
      from analyses where starts_with(file_name, ${fileNamePrefix})`;
    return { ...row, unfinished: row.analyses - row.completed - row.failed };
  } finally {
    await sql.end();
  }
}

async function main(): Promise<void> {

  const profDir = args["cpu-prof"] ? path.resolve(args["cpu-prof"]) : null;
  const app = await startBenchApp({
    workers: workerCount,
    databaseAdminUrl: args["database-admin-url"],
    nodeFlags: profDir ? ["--cpu-prof", "--cpu-prof-dir", profDir] : [],
    modelDir: args.model,
  });
  const { web, workers } = app;
  try {
    let seed = 1;
    const phases: PhaseResult[] = [];
    // A short warm-up so the first phase does not pay for the model's first runs.
    const warm = await runPhase(app, 2, await Promise.all([0, 1, 2, 3].map(() => syntheticFilmPng(seed++, imageSize))));
    if (warm.errors) throw new Error("the warm-up uploads failed");
    for (const clients of clientCounts) {
      if (Date.now() > deadline) break;
      const films = await Promise.all(Array.from({ length: uploadsFor(clients) }, () => syntheticFilmPng(seed++, imageSize)));
      const result = await runPhase(app, clients, films);
      phases.push(result);
      process.stdout.write(
        `${String(clients).padStart(4)} clients  ${String(result.uploads).padStart(4)} uploads  accepted ${result.accepted} (${result.acceptedPerSecond}/s)  ` +
          `analysed ${result.analysed} (${result.analysedPerSecond}/s)  p50 ${result.p50Seconds} s  p99 ${result.p99Seconds} s  ` +
          `refusals ${result.refusals}  errors ${result.errors}\n` +
          `${" ".repeat(15)}core-ms per upload: web ${result.coreMsPerUpload.web}, worker ${result.coreMsPerUpload.worker}, ` +
          `PostgreSQL ${result.coreMsPerUpload.postgres}, this client ${result.coreMsPerUpload.client}  ` +
          `highest RSS: web ${result.rssMb.web} MB, worker ${result.rssMb.worker.join(" + ") || "-"} MB\n`,
      );
    }
    let burst: PhaseResult | null = null;
    if (burstClients > 0 && Date.now() < deadline) {
      const films = await Promise.all(Array.from({ length: burstClients }, () => syntheticFilmPng(seed++, imageSize)));
      burst = await runPhase(app, burstClients, films, "poll");
      process.stdout.write(
        `${String(burstClients).padStart(4)} pollers  ${String(burst.uploads).padStart(4)} uploads  accepted ${burst.accepted} (${burst.acceptedPerSecond}/s)  ` +
          `analysed ${burst.analysed} (${burst.analysedPerSecond}/s)  p50 ${burst.p50Seconds} s  p99 ${burst.p99Seconds} s  ` +
          `refusals ${burst.refusals}  errors ${burst.errors}\n` +
          `${" ".repeat(15)}status reads every ${pollMs} ms ignoring Retry-After: ${burst.polls!.sent} sent, ${burst.polls!.refused429} answered 429, ${burst.polls!.errors} failed\n`,
      );
    }
    const steady = phases.length ? phases.reduce((best, p) => (Math.abs(p.clients - 16) < Math.abs(best.clients - 16) ? p : best)) : null;
    const burstToSteady = burst && steady ? Math.round((burst.analysedPerSecond / steady.analysedPerSecond) * 100) / 100 : null;
    if (burst && steady) process.stdout.write(`burst completed/s vs steady ${steady.clients}-client rate: ${burstToSteady}\n`);
    const rss = { webMb: peakRssMb(web.pid!), workerMb: workers.map((w) => peakRssMb(w.pid!)) };
    const totalMb = rss.webMb + rss.workerMb.reduce((a, b) => a + b, 0);
    process.stdout.write(`peak RSS: web ${rss.webMb} MB, worker ${rss.workerMb.join(" + ") || "-"} MB, together ${totalMb} MB\n`);
    const first = phases[0];
    const last = phases.at(-1);
    const summary = {
      model: app.modelDir,
      imageSize,
      workers: workerCount,
      cpus: os.cpus().length,
      phases,
      burst,
      burstToSteady,
      peakRss: { ...rss, totalMb },
      analysedRatioLastToFirst: first && last ? Math.round((last.analysedPerSecond / first.analysedPerSecond) * 100) / 100 : null,
    };
    process.stdout.write(`BENCH_LOAD ${JSON.stringify(summary)}\n`);
  } finally {
    await app.stop();
  }
}

await main();
