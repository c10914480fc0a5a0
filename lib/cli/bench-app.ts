import "server-only";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

// The built app for the HTTP benchmarks (bench:load, bench:http): a fresh PostgreSQL database, one web
// process (WORKERS_IN_WEB=false unless there are no workers) and worker processes, all on loopback,
// with a bench user and an API key. `stop()` ends the processes and drops the database.

const require = createRequire(import.meta.url);

export function freePort(): Promise<number> {
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
export function peakRssMb(pid: number): number {
  const read = (p: number): number => {
    try {
      const status = fs.readFileSync(`/proc/${p}/status`, "utf8");
      const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      return hwm + childPids(p).reduce((sum, c) => sum + read(c), 0);
    } catch {
      return 0;
    }
  };
  return Math.round(read(pid));
}

function childPids(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((t) => fs.readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux

/** CPU time (user + system) used so far by a process and its descendants, in milliseconds. */
export function cpuMs(pid: number): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    // utime, stime, then cutime, cstime of children already waited for.
    const own = (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * TICK_MS;
    return own + childPids(pid).reduce((sum, c) => sum + cpuMs(c), 0);
  } catch {
    return 0;
  }
}

/** CPU time used so far by the PostgreSQL backends serving one database, in milliseconds. */
export function postgresCpuMs(database: string): number {
  let total = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
      // Backends name themselves "postgres: user database host(port) state".
      if (!cmd.startsWith("postgres: ") || !cmd.includes(` ${database} `)) continue;
      const f = fs.readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1].split(" ");
      total += (Number(f[11]) + Number(f[12])) * TICK_MS;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

export const percentile = (xs: number[], p: number): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

export async function waitFor(url: string, ms: number): Promise<void> {
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

export interface BenchApp {
  baseUrl: string;
  key: string;
  /** The benchmark database's URL and name. */
  databaseUrl: string;
  databaseName: string;
  modelDir: string;
  web: ChildProcess;
  workers: ChildProcess[];
  stop(): Promise<void>;
}

export interface BenchAppOptions {
  workers: number;
  databaseAdminUrl: string;
  /** Extra Node.js flags for the web and worker processes (e.g. --cpu-prof). */
  nodeFlags?: string[];
}

export async function startBenchApp(options: BenchAppOptions): Promise<BenchApp> {
  if (!fs.existsSync(path.join(".next", "BUILD_ID"))) throw new Error("No production build: run `npm run build` first.");
  const modelDir = path.resolve("models/densenet121-res224-all-demo");
  if (!fs.existsSync(path.join(modelDir, "model.json"))) throw new Error("No demo model: run `npm run model:demo` first.");

  const databaseName = `cxr_bench_${Date.now()}_${crypto.randomBytes(3).toString("hex")}`;
  const admin = postgres(options.databaseAdminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${databaseName}`);
  const url = new URL(options.databaseAdminUrl);
  url.pathname = `/${databaseName}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cxr-bench-"));
  const port = await freePort();
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
  const kill = () => children.forEach((c) => c.exitCode === null && c.kill("SIGTERM"));
  const onSigint = () => {
    kill();
    process.exit(130);
  };
  process.once("SIGINT", onSigint);
  const stop = async () => {
    process.off("SIGINT", onSigint);
    kill();
    // Long enough for a worker to finish its claim and for --cpu-prof to write its profile.
    for (let i = 0; i < 40 && children.some((c) => c.exitCode === null && c.signalCode === null); i++) await new Promise((r) => setTimeout(r, 250));
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    await admin.unsafe(`drop database if exists ${databaseName} with (force)`).catch(() => undefined);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

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

    const flags = options.nodeFlags ?? [];
    const web = spawn(process.execPath, [...flags, require.resolve("next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
      env: { ...childEnv, PORT: String(port), WORKERS_IN_WEB: options.workers === 0 ? "true" : "false" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    children.push(web);
    const workers = Array.from({ length: options.workers }, () => {
      const w = spawn(process.execPath, [...flags, ...tsx, "lib/cli/worker.ts"], { env: childEnv, stdio: ["ignore", "ignore", "inherit"] });
      children.push(w);
      return w;
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitFor(`${baseUrl}/api/health`, 120_000);
    // Workers are attached once their heartbeat shows in readiness.
    for (let i = 0; i < 120; i++) {
      const r = (await (await fetch(`${baseUrl}/api/ready`)).json()) as { workers?: { count: number } };
      if ((r.workers?.count ?? 0) >= Math.max(1, options.workers)) break;
      await new Promise((res) => setTimeout(res, 500));
    }
    return { baseUrl, key, databaseUrl: url.toString(), databaseName, modelDir, web, workers, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

export interface UploadOutcome {
  /** "completed" with the seconds from sending to the completed result; "error" for anything else. */
  kind: "completed" | "failed" | "error";
  seconds: number;
  /** 503/429 answers ridden out (with Retry-After) before the upload was accepted. */
  refusals: number;
  /** When the upload was accepted (performance.now()), if it was. */
  acceptedAt: number | null;
  /** The analysis id, once accepted. */
  id: string | null;
}

/**
 * One upload through the v1 API with `Prefer: wait=60` and an Idempotency-Key, retried after refusals,
 * and followed until done when the wait ran out. Every request has a deadline.
 */
export async function uploadAndWait(baseUrl: string, key: string, film: Buffer, fileName: string, deadline: number): Promise<UploadOutcome> {
  const t0 = performance.now();
  const headers = { authorization: `Bearer ${key}` };
  const idempotencyKey = crypto.randomUUID();
  let refusals = 0;
  const out = (kind: UploadOutcome["kind"], acceptedAt: number | null = null, id: string | null = null): UploadOutcome => ({
    kind,
    seconds: (performance.now() - t0) / 1000,
    refusals,
    acceptedAt,
    id,
  });
  for (let attempt = 0; attempt < 20 && Date.now() < deadline; attempt++) {
    const form = new FormData();
    form.append("file", new File([new Uint8Array(film)], fileName, { type: "image/png" }));
    let res: Response;
    try {
      res = await fetch(`${baseUrl}/api/v1/analyses`, {
        method: "POST",
        headers: { ...headers, prefer: "wait=60", "idempotency-key": idempotencyKey },
        body: form,
        signal: AbortSignal.timeout(90_000),
      });
    } catch {
      return out("error");
    }
    if (res.status === 503 || res.status === 429) {
      refusals++;
      await res.body?.cancel();
      await new Promise((r) => setTimeout(r, 1000 * Math.min(10, Number(res.headers.get("retry-after") ?? 1))));
      continue;
    }
    if (res.status !== 201 && res.status !== 202) {
      await res.body?.cancel();
      return out("error");
    }
    const acceptedAt = performance.now();
    let body = (await res.json()) as { id: string; status: string };
    // Still queued after the wait: follow the Location until it is done.
    while (body.status !== "completed" && body.status !== "failed" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      body = (await (await fetch(`${baseUrl}/api/v1/analyses/${body.id}`, { headers })).json()) as typeof body;
    }
    return out(body.status === "completed" ? "completed" : body.status === "failed" ? "failed" : "error", acceptedAt, body.id);
  }
  return out("error");
}
