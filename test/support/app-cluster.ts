// The BUILT app as a deployment of several processes on this machine, for multi-instance tests, fault
// tests and the HTTP benchmarks: a fresh PostgreSQL database (migrated), N web processes (the app's own
// server, lib/cli/serve.ts, as `npm start` runs it, each on its own loopback port) and M worker
// processes (`npm run worker`). Every process has a data directory of its own, as on machines of their
// own, and they share what a real deployment shares: the database, the file storage (a shared
// STORAGE_DIR, or STORAGE_URL=s3://... from `env`), AUTH_SECRET and PATIENT_LINK_SECRET. `stop()` ends
// the processes and drops the database. Each process's output goes to a log file (`logFile`).
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { DEMO_MODEL_DIR } from "@/lib/env";
import { createApiKey, seedUsers, type ApiKeyRequest, type SeededUser } from "./accounts";
import { createFreshDatabase } from "./fresh-database";
import { freePort } from "./free-port";
import type { Role } from "@/lib/core/roles";

/** Polls `url` until it answers 2xx; throws after `ms`, or as soon as `check` throws. */
export async function waitFor(url: string, ms: number, check: () => void = () => {}): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    check();
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(10_000) })).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not become ready in ${ms / 1000} s`);
}

export interface ClusterProcess {
  child: ChildProcess;
  pid: number;
  logFile: string;
}

export interface WebProcess extends ClusterProcess {
  port: number;
  baseUrl: string;
}

export interface WorkerProcess extends ClusterProcess {
  /** The id the worker registered under (queue_workers.id, analyses.worker_id). */
  workerId: string;
}

export interface AppClusterOptions {
  web?: number;
  workers?: number;
  /** Run a worker inside each web process too (default: only when there are no worker processes). */
  workersInWeb?: boolean;
  /** PostgreSQL to create the database on (default TEST_DATABASE_ADMIN_URL or the local server). */
  databaseAdminUrl?: string;
  /** Name prefix of the database, e.g. cxr_bench. */
  databasePrefix?: string;
  /** Settings for every process, over the defaults (e.g. a test S3 server's `env()`, INFERENCE_BATCH). */
  env?: Record<string, string>;
  /** Extra Node.js flags for the web and worker processes (e.g. --cpu-prof). */
  nodeFlags?: string[];
  /** Also copy every process's stderr to this process's stderr (its stdout always goes to the log). */
  echoStderr?: boolean;
  /** The model every process loads (default: the demo model), e.g. an int8 one for a benchmark. */
  modelDir?: string;
}

export interface AppCluster {
  web: WebProcess[];
  workers: WorkerProcess[];
  databaseUrl: string;
  databaseName: string;
  /** A connection to the cluster's database, for checks (closed by stop()). */
  sql: postgres.Sql;
  /** The settings every process got. */
  env: Record<string, string>;
  modelDir: string;
  createUsers(specs: [Role, string?][]): SeededUser[];
  createApiKey(request: ApiKeyRequest): string;
  /** Starts one more worker process (with settings of its own over the cluster's) and waits until it is registered. */
  addWorker(env?: Record<string, string>): Promise<WorkerProcess>;
  /** Stops (SIGTERM, then SIGKILL after `graceMs`) everything, drops the database, removes the files. */
  stop(graceMs?: number): Promise<void>;
}

const TSX = ["--import", "tsx", "--conditions=react-server"];
const START_MS = 180_000;

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

export async function startAppCluster(options: AppClusterOptions = {}): Promise<AppCluster> {
  const webCount = options.web ?? 1;
  const workerCount = options.workers ?? 0;
  if (webCount < 1 || workerCount < 0) throw new Error("a cluster needs at least one web process");
  if (!fs.existsSync(path.join(".next", "BUILD_ID"))) throw new Error("No production build: run `npm run build` first.");
  const modelDir = path.resolve(options.modelDir ?? DEMO_MODEL_DIR);
  if (!fs.existsSync(path.join(modelDir, "model.json"))) {
    throw new Error(options.modelDir ? `No model at ${modelDir}` : "No demo model: run `npm run model:demo` first.");
  }

  const root = fs.mkdtempSync(path.join(os.tmpdir(), "cxr-cluster-"));
  const database = await createFreshDatabase({ adminUrl: options.databaseAdminUrl, prefix: options.databasePrefix ?? "cxr_cluster" });
  const sql = postgres(database.url, { max: 2, onnotice: () => {} });
  const env: Record<string, string> = {
    NODE_ENV: "production",
    DATABASE_URL: database.url,
    MODEL_DIR: modelDir,
    // Used unless `env` points storage at S3: one directory for all, as a shared volume would be.
    STORAGE_DIR: path.join(root, "storage"),
    AUTH_SECRET: crypto.randomBytes(32).toString("hex"),
    PATIENT_LINK_SECRET: crypto.randomBytes(32).toString("hex"),
    RATE_LIMIT_PER_KEY: "0",
    RATE_LIMIT_PER_IP: "0",
    LOG_LEVEL: "warn",
    ...options.env,
  };
  const children: ChildProcess[] = [];
  let n = 0;
  function launch(name: string, args: string[], extra: Record<string, string>): ClusterProcess {
    const dataDir = path.join(root, name);
    fs.mkdirSync(dataDir, { recursive: true });
    const logFile = path.join(root, `${name}.log`);
    const log = fs.openSync(logFile, "a");
    const child = spawn(process.execPath, [...(options.nodeFlags ?? []), ...args], {
      env: { ...process.env, ...env, DATA_DIR: dataDir, ...extra },
      stdio: ["ignore", log, options.echoStderr ? "pipe" : log],
    });
    fs.closeSync(log);
    if (options.echoStderr) {
      child.stderr!.on("data", (d: Buffer) => {
        fs.appendFileSync(logFile, d);
        process.stderr.write(d);
      });
    }
    children.push(child);
    return { child, pid: child.pid!, logFile };
  }

  const killAll = () => children.forEach((c) => alive(c) && c.kill("SIGTERM"));
  const onSigint = () => {
    killAll();
    process.exit(130);
  };
  process.once("SIGINT", onSigint);
  const stop = async (graceMs = 10_000) => {
    process.off("SIGINT", onSigint);
    killAll();
    // Long enough for a worker to finish its claim and for --cpu-prof to write its profile.
    for (let waited = 0; waited < graceMs && children.some(alive); waited += 250) await new Promise((r) => setTimeout(r, 250));
    for (const c of children) if (alive(c)) c.kill("SIGKILL");
    await sql.end({ timeout: 5 }).catch(() => undefined);
    await database.drop().catch(() => undefined);
    fs.rmSync(root, { recursive: true, force: true });
  };

  const accounts = { databaseUrl: database.url, dataDir: path.join(root, "accounts"), env };
  async function registered(proc: ClusterProcess): Promise<string> {
    for (const until = Date.now() + START_MS; Date.now() < until; ) {
      if (!alive(proc.child)) throw new Error(`process ${proc.pid} exited (log: ${fs.readFileSync(proc.logFile, "utf8").slice(-2000)})`);
      // A fault test may be killing the database connections meanwhile: a lost one is asked again.
      const rows = await sql<{ id: string }[]>`select id from queue_workers where pid = ${proc.pid} and stopped_at is null`.catch((error: unknown) => {
        if (isDatabaseUnavailable(error)) return [];
        throw error;
      });
      if (rows.length) return rows[0].id;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`the worker of process ${proc.pid} did not register in ${START_MS / 1000} s`);
  }
  const addWorker = async (extra: Record<string, string> = {}): Promise<WorkerProcess> => {
    const proc = launch(`worker-${n++}`, [...TSX, "lib/cli/worker.ts"], extra);
    return { ...proc, workerId: await registered(proc) };
  };

  try {
    const inWeb = options.workersInWeb ?? workerCount === 0;
    const web: WebProcess[] = [];
    for (let i = 0; i < webCount; i++) {
      const port = await freePort();
      // As `npm start` runs the server: without the react-server condition (Next.js loads React both ways).
      const proc = launch(`web-${i}`, ["--import", "tsx", "lib/cli/serve.ts", "-H", "127.0.0.1"], {
        PORT: String(port),
        WORKERS_IN_WEB: String(inWeb),
      });
      web.push({ ...proc, port, baseUrl: `http://127.0.0.1:${port}` });
    }
    const workers = await Promise.all(Array.from({ length: workerCount }, () => addWorker()));
    await Promise.all(
      web.map((w) =>
        waitFor(`${w.baseUrl}/api/health`, START_MS, () => {
          if (!alive(w.child)) throw new Error(`web process ${w.pid} exited (log: ${fs.readFileSync(w.logFile, "utf8").slice(-2000)})`);
        }),
      ),
    );
    // A web process's own worker starts in the background: uploads would wait until it has.
    if (inWeb) await Promise.all(web.map(registered));
    return {
      web,
      workers,
      databaseUrl: database.url,
      databaseName: database.name,
      sql,
      env,
      modelDir,
      createUsers: (specs) => seedUsers(accounts, specs),
      createApiKey: (request) => createApiKey(accounts, request),
      addWorker,
      stop,
    };
  } catch (e) {
    await stop(2_000);
    throw e;
  }
}
