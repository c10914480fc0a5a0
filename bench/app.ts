import "server-only";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import { startAppCluster } from "@/test/support/app-cluster";
import { uploadWithRetries } from "@/test/support/upload-with-retries";

// The built app for the HTTP benchmarks (bench:load, bench:http): the app cluster (test/support/app-cluster.ts)
// with one web process (WORKERS_IN_WEB=false unless there are no workers) and worker processes, all on
// loopback, with a bench user and an API key; and what the benchmarks measure it with. `stop()` ends
// the processes and drops the database.

function statusMb(pid: number, field: "VmHWM" | "VmRSS"): number {
  const read = (p: number): number => {
    try {
      const status = fs.readFileSync(`/proc/${p}/status`, "utf8");
      const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
      return kb / 1024 + childPids(p).reduce((sum, c) => sum + read(c), 0);
    } catch {
      return 0;
    }
  };
  return Math.round(read(pid));
}

/** Peak resident set of a process and its descendants (VmHWM), in MB. */
export const peakRssMb = (pid: number): number => statusMb(pid, "VmHWM");

/** Resident set now of a process and its descendants (VmRSS), in MB. */
export const rssMb = (pid: number): number => statusMb(pid, "VmRSS");

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
  /** The model to serve (default: the demo model). */
  modelDir?: string;
}

export async function startBenchApp(options: BenchAppOptions): Promise<BenchApp> {
  const cluster = await startAppCluster({
    web: 1,
    workers: options.workers,
    databaseAdminUrl: options.databaseAdminUrl,
    databasePrefix: "cxr_bench",
    nodeFlags: options.nodeFlags,
    echoStderr: true,
    modelDir: options.modelDir,
  });
  try {
    const [user] = cluster.createUsers([["radiologist", "Bench"]]);
    const key = cluster.createApiKey({ email: user.email, name: "bench", scopes: ["analyses:read", "analyses:write"] });
    return {
      baseUrl: cluster.web[0].baseUrl,
      key,
      databaseUrl: cluster.databaseUrl,
      databaseName: cluster.databaseName,
      modelDir: cluster.modelDir,
      web: cluster.web[0].child,
      workers: cluster.workers.map((w) => w.child),
      // Long enough for a worker to finish its claim, and for --cpu-prof to write a long run's profile (a
      // loaded machine took more than 10 s for the web process's).
      stop: () => cluster.stop(options.nodeFlags?.some((f) => f.startsWith("--cpu-prof")) ? 120_000 : 10_000),
    };
  } catch (e) {
    await cluster.stop(2_000);
    throw e;
  }
}

export interface UploadOutcome {
  /** "completed" with the seconds from sending to the completed result; "error" for anything else. */
  kind: "completed" | "failed" | "error";
  seconds: number;
  /** 503/429 answers ridden out (with Retry-After) before the upload was accepted. */
  refusals: number;
  /** When the upload was accepted (performance.now() timeline: the server's createdAt), if it was. */
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
  const sent = await uploadWithRetries({
    baseUrl,
    key,
    film,
    fileName,
    deadline,
    prefer: "wait=60",
    retryStatuses: [503, 429],
    // A benchmark reports a dropped connection as an error rather than hiding it behind a retry.
    retryNetworkErrors: false,
    maxRetryWaitSeconds: 10,
    // The server's 60 s wait starts once the upload is accepted, which in a burst may itself take a while.
    attemptTimeoutMs: 150_000,
  });
  const refusals = sent.answers.filter((a) => a.status === 503 || a.status === 429).length;
  const out = (kind: UploadOutcome["kind"], acceptedAt: number | null = null, id: string | null = null): UploadOutcome => ({
    kind,
    seconds: (performance.now() - t0) / 1000,
    refusals,
    acceptedAt,
    id,
  });
  if (sent.final?.status !== 201 && sent.final?.status !== 202) return out("error");
  let body: { id: string; status: string; createdAt?: string };
  try {
    body = JSON.parse(sent.final.body) as typeof body;
  } catch {
    return out("error", performance.now());
  }
  // Accepted when the server committed it (its createdAt, same clock), not when a Prefer: wait answer came.
  const created = body.createdAt ? Date.parse(body.createdAt) - performance.timeOrigin : NaN;
  const acceptedAt = Number.isFinite(created) ? Math.min(created, performance.now()) : performance.now();
  // Still queued after the wait: follow the Location until it is done (a failed poll is tried again).
  const headers = { authorization: `Bearer ${key}` };
  while (body.status !== "completed" && body.status !== "failed" && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    try {
      const poll = await fetch(`${baseUrl}/api/v1/analyses/${body.id}`, { headers, signal: AbortSignal.timeout(30_000) });
      if (poll.ok) body = (await poll.json()) as typeof body;
      else await poll.body?.cancel().catch(() => undefined);
    } catch {
      // timed out: poll again until the run's deadline
    }
  }
  return out(body.status === "completed" ? "completed" : body.status === "failed" ? "failed" : "error", acceptedAt, body.id);
}

export interface PollOutcome extends UploadOutcome {
  /** Status reads sent, and how many were answered 429 (too soon after Retry-After) or failed otherwise. */
  polls: number;
  pollsRefused: number;
  pollErrors: number;
}

/**
 * One upload WITHOUT `Prefer: wait`, then status reads every `pollMs` regardless of Retry-After (an
 * impatient client): a 429 is expected and simply followed by the next read; any other failure counts.
 */
export async function uploadThenPoll(baseUrl: string, key: string, film: Buffer, fileName: string, deadline: number, pollMs: number): Promise<PollOutcome> {
  const t0 = performance.now();
  const sent = await uploadWithRetries({
    baseUrl,
    key,
    film,
    fileName,
    deadline,
    retryStatuses: [503, 429],
    retryNetworkErrors: false,
    maxRetryWaitSeconds: 10,
    attemptTimeoutMs: 150_000,
  });
  const refusals = sent.answers.filter((a) => a.status === 503 || a.status === 429).length;
  let polls = 0;
  let pollsRefused = 0;
  let pollErrors = 0;
  const out = (kind: UploadOutcome["kind"], acceptedAt: number | null = null, id: string | null = null): PollOutcome => ({
    kind,
    seconds: (performance.now() - t0) / 1000,
    refusals,
    acceptedAt,
    id,
    polls,
    pollsRefused,
    pollErrors,
  });
  if (sent.final?.status !== 201 && sent.final?.status !== 202) return out("error");
  let body: { id: string; status: string };
  try {
    body = JSON.parse(sent.final.body) as typeof body;
  } catch {
    return out("error", performance.now());
  }
  const acceptedAt = performance.now();
  const headers = { authorization: `Bearer ${key}` };
  while (body.status !== "completed" && body.status !== "failed" && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, pollMs));
    polls++;
    try {
      const poll = await fetch(`${baseUrl}/api/v1/analyses/${body.id}`, { headers, signal: AbortSignal.timeout(30_000) });
      if (poll.ok) body = (await poll.json()) as typeof body;
      else {
        if (poll.status === 429) pollsRefused++;
        else pollErrors++;
        await poll.body?.cancel().catch(() => undefined);
      }
    } catch {
      pollErrors++;
    }
  }
  return out(body.status === "completed" ? "completed" : body.status === "failed" ? "failed" : "error", acceptedAt, body.id);
}
