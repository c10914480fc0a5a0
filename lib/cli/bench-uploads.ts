// `npm run bench:load [-- --clients 4,50,500 --workers 1 --database-admin-url URL]`: the BUILT app on
// a fresh PostgreSQL database, one web process (WORKERS_IN_WEB=false) and worker processes, loaded over
// loopback by N clients that each upload NEW films (every image distinct) through the v1 API with
// `Prefer: wait` and an Idempotency-Key. For each N it prints accepted/s, analysed/s, p50/p99 time to a
// completed result, refusals and errors, and at the end the peak RSS of the web and worker processes;
// the last line is `BENCH_LOAD {json}`. Figures, not assertions. Bounded: every phase sends a fixed
// number of uploads, every request has a deadline, and the whole run stops after --max-minutes.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { syntheticFilmPng } from "@/lib/imaging/testing/synthetic-film";

const require = createRequire(import.meta.url);
const { values: args } = parseArgs({
  options: {
    clients: { type: "string", default: "4,50,500" },
    workers: { type: "string", default: "1" },
    "database-admin-url": { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    "image-size": { type: "string", default: "512" },
    "max-minutes": { type: "string", default: "20" },
  },
});
const clientCounts = args.clients.split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0);
const workerCount = Math.max(0, Number(args.workers));
const imageSize = Number(args["image-size"]);
const deadline = Date.now() + Number(args["max-minutes"]) * 60_000;
/** Uploads per phase: enough for a steady rate with few clients, one each for the burst. */
const uploadsFor = (clients: number) => Math.max(clients, Math.min(200, clients * 25));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** Peak resident set of a process and its descendants (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const read = (p: number): number => {
    try {
      const status = fs.readFileSync(`/proc/${p}/status`, "utf8");
      const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      const children = fs
        .readdirSync(`/proc/${p}/task`)
        .flatMap((t) => fs.readFileSync(`/proc/${p}/task/${t}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
      return hwm + children.reduce((sum, c) => sum + read(c), 0);
    } catch {
      return 0;
    }
  };
  return Math.round(read(pid));
}

const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]);
};

async function waitFor(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not become ready in ${ms / 1000} s`);
}

interface PhaseResult {
  clients: number;
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
}

async function runPhase(baseUrl: string, key: string, clients: number, films: Buffer[]): Promise<PhaseResult> {
  const started = performance.now();
  let next = 0;
  let accepted = 0;
  let refusals = 0;
  let errors = 0;
  let lastAccepted = started;
  let lastAnalysed = started;
  const times: number[] = [];
  const headers = { authorization: `Bearer ${key}` };

  async function one(film: Buffer, index: number): Promise<void> {
    const t0 = performance.now();
    const idempotencyKey = crypto.randomUUID();
    for (let attempt = 0; attempt < 20 && Date.now() < deadline; attempt++) {
      const form = new FormData();
      form.append("file", new File([new Uint8Array(film)], `bench-${clients}-${index}.png`, { type: "image/png" }));
      let res: Response;
      try {
        res = await fetch(`${baseUrl}/api/v1/analyses`, {
          method: "POST",
          headers: { ...headers, prefer: "wait=60", "idempotency-key": idempotencyKey },
          body: form,
          signal: AbortSignal.timeout(90_000),
        });
      } catch {
        errors++;
        return;
      }
      if (res.status === 503 || res.status === 429) {
        refusals++;
        await res.body?.cancel();
        await new Promise((r) => setTimeout(r, 1000 * Math.min(10, Number(res.headers.get("retry-after") ?? 1))));
        continue;
      }
      if (res.status !== 201 && res.status !== 202) {
        errors++;
        await res.body?.cancel();
        return;
      }
      accepted++;
      lastAccepted = performance.now();
      let body = (await res.json()) as { id: string; status: string };
      // Still queued after the wait: follow the Location until it is done.
      while (body.status !== "completed" && body.status !== "failed" && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        body = (await (await fetch(`${baseUrl}/api/v1/analyses/${body.id}`, { headers })).json()) as typeof body;
      }
      if (body.status !== "completed") {
        errors++;
        return;
      }
      lastAnalysed = performance.now();
      times.push((lastAnalysed - t0) / 1000);
      return;
    }
    errors++;
  }

  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < films.length; i = next++) await one(films[i], i);
    }),
  );
  const acceptedSeconds = (lastAccepted - started) / 1000;
  const analysedSeconds = (lastAnalysed - started) / 1000;
  return {
    clients,
    uploads: films.length,
    accepted,
    analysed: times.length,
    refusals,
    errors,
    acceptedPerSecond: Math.round((accepted / Math.max(acceptedSeconds, 1e-3)) * 10) / 10,
    analysedPerSecond: Math.round((times.length / Math.max(analysedSeconds, 1e-3)) * 10) / 10,
    p50Seconds: percentile(times.map((t) => t * 1000), 50)! / 1000,
    p99Seconds: percentile(times.map((t) => t * 1000), 99)! / 1000,
    seconds: Math.round(((performance.now() - started) / 1000) * 10) / 10,
  };
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(".next", "BUILD_ID"))) throw new Error("No production build: run `npm run build` first.");
  const modelDir = path.resolve("models/densenet121-res224-all-demo");
  if (!fs.existsSync(path.join(modelDir, "model.json"))) throw new Error("No demo model: run `npm run model:demo` first.");

  const adminUrl = args["database-admin-url"];
  const dbName = `cxr_bench_${Date.now()}_${crypto.randomBytes(3).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cxr-bench-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const childEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: url.toString(),
    DATA_DIR: dataDir,
    MODEL_DIR: modelDir,
    RATE_LIMIT_PER_KEY: "0",
    RATE_LIMIT_PER_IP: "0",
    LOG_LEVEL: "warn",
  } as NodeJS.ProcessEnv;
  const children: ChildProcess[] = [];
  const stopAll = () => children.forEach((c) => c.exitCode === null && c.kill("SIGTERM"));
  process.once("SIGINT", () => {
    stopAll();
    process.exit(130);
  });

  try {
    const tsx = ["--import", "tsx", "--conditions=react-server"];
    const migrate = spawnSync(process.execPath, [...tsx, "lib/cli/migrate.ts"], { env: childEnv, stdio: "inherit" });
    if (migrate.status !== 0) throw new Error("migrations failed");
    const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
    await sql`insert into users (email, role, name) values ('bench@example.org', 'radiologist', 'Bench')`;
    await sql.end();
    const keyRun = spawnSync(
      process.execPath,
      [...tsx, "lib/cli/apikey-create.ts", "--email", "bench@example.org", "--name", "bench", "--scopes", "analyses:read,analyses:write"],
      { env: childEnv, encoding: "utf8" },
    );
    const key = keyRun.stdout.trim();
    if (!key.startsWith("cxr_")) throw new Error(`could not create an API key: ${keyRun.stderr}`);

    const web = spawn(process.execPath, [require.resolve("next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
      env: { ...childEnv, PORT: String(port), WORKERS_IN_WEB: workerCount === 0 ? "true" : "false" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    children.push(web);
    const workers = Array.from({ length: workerCount }, () => {
      const w = spawn(process.execPath, [...tsx, "lib/cli/worker.ts"], { env: childEnv, stdio: ["ignore", "ignore", "inherit"] });
      children.push(w);
      return w;
    });
    await waitFor(`${baseUrl}/api/health`, 120_000);
    // Workers are attached once their heartbeat shows in readiness.
    for (let i = 0; i < 120; i++) {
      const r = (await (await fetch(`${baseUrl}/api/ready`)).json()) as { workers?: { count: number } };
      if ((r.workers?.count ?? 0) >= Math.max(1, workerCount)) break;
      await new Promise((res) => setTimeout(res, 500));
    }

    let seed = 1;
    const phases: PhaseResult[] = [];
    // A short warm-up so the first phase does not pay for the model's first runs.
    const warm = await runPhase(baseUrl, key, 2, await Promise.all([0, 1, 2, 3].map(() => syntheticFilmPng(seed++, imageSize))));
    if (warm.errors) throw new Error("the warm-up uploads failed");
    for (const clients of clientCounts) {
      if (Date.now() > deadline) break;
      const films = await Promise.all(Array.from({ length: uploadsFor(clients) }, () => syntheticFilmPng(seed++, imageSize)));
      const result = await runPhase(baseUrl, key, clients, films);
      phases.push(result);
      process.stdout.write(
        `${String(clients).padStart(4)} clients  ${String(result.uploads).padStart(4)} uploads  accepted ${result.accepted} (${result.acceptedPerSecond}/s)  ` +
          `analysed ${result.analysed} (${result.analysedPerSecond}/s)  p50 ${result.p50Seconds} s  p99 ${result.p99Seconds} s  ` +
          `refusals ${result.refusals}  errors ${result.errors}\n`,
      );
    }
    const rss = { webMb: peakRssMb(web.pid!), workerMb: workers.map((w) => peakRssMb(w.pid!)) };
    const totalMb = rss.webMb + rss.workerMb.reduce((a, b) => a + b, 0);
    process.stdout.write(`peak RSS: web ${rss.webMb} MB, worker ${rss.workerMb.join(" + ") || "-"} MB, together ${totalMb} MB\n`);
    const first = phases[0];
    const last = phases.at(-1);
    const summary = {
      imageSize,
      workers: workerCount,
      cpus: os.cpus().length,
      phases,
      peakRss: { ...rss, totalMb },
      analysedRatioLastToFirst: first && last ? Math.round((last.analysedPerSecond / first.analysedPerSecond) * 100) / 100 : null,
    };
    process.stdout.write(`BENCH_LOAD ${JSON.stringify(summary)}\n`);
  } finally {
    stopAll();
    await new Promise((r) => setTimeout(r, 2000));
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
