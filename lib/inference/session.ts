import "server-only";
import { Worker } from "node:worker_threads";
import type { InferenceSession } from "onnxruntime-node";
import { workerScriptPath } from "@/lib/workers/script-path";
import { ModelError } from "./errors";

// Creates the onnxruntime session with deliberate options for a small CPU server, and picks the
// execution provider: CUDA only when asked for and loadable, otherwise CPU with the reason logged.
// The session lives in its own thread (session-worker.mjs) so that a running batch never stalls the
// server's event loop; this module is that thread's handle.
export type ExecutionProvider = "cpu" | "cuda";

export interface SessionConfig {
  executionProvider: ExecutionProvider;
  /** Threads inside one operator (convolutions). On 2 cores: 2, i.e. the caller plus one worker. */
  intraOpThreads: number;
  /** Threads running independent graph branches. DenseNet is one chain, so 1 (sequential execution). */
  interOpThreads: number;
  /**
   * Let intra-op threads spin-wait between operators. On an otherwise idle machine this saves a wake-up
   * per operator; when other processes compete for the cores, a spinning thread burns the time slice
   * its partner needs (measured here under load: 180 ms per image spinning, 111 ms without). The app
   * is always such a case (its decoding, renderings, web process and database share the cores), so
   * ORT_ALLOW_SPINNING is off by default.
   */
  allowSpinning: boolean;
}

export interface SessionLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface CreatedSession {
  session: ModelSession;
  provider: ExecutionProvider;
  /** Why the provider differs from the one configured (CUDA requested but unavailable). */
  fallbackReason: string | null;
}

export function sessionOptions(cfg: SessionConfig, provider: ExecutionProvider): InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    intraOpNumThreads: cfg.intraOpThreads,
    interOpNumThreads: cfg.interOpThreads,
    executionMode: cfg.interOpThreads > 1 ? "parallel" : "sequential",
    // "all" includes the NCHWc layout transform, which is what makes convolutions fast on AVX2/AVX-512.
    graphOptimizationLevel: "all",
    // The arena and memory pattern let repeated runs of the same batch size reuse their buffers.
    enableCpuMemArena: true,
    enableMemPattern: true,
    logSeverityLevel: 3,
    extra: { session: { intra_op: { allow_spinning: cfg.allowSpinning ? "1" : "0" } } },
  };
}

/** One float32 input in, every float32 output out, by name. */
export interface ModelSession {
  run(input: Float32Array, dims: readonly number[]): Promise<Record<string, Float32Array>>;
  release(): Promise<void>;
}

type FromWorker =
  | { type: "created"; inputNames: string[]; outputNames: string[] }
  | { type: "create-failed"; message: string; hasCuda: boolean }
  | { type: "result"; id: number; outputs: Record<string, { data: ArrayBuffer; dims: number[] }> }
  | { type: "run-failed"; id: number; message: string }
  | { type: "released" };

const workerPath = () => workerScriptPath(() => new URL("./session-worker.mjs", import.meta.url), "lib/inference/session-worker.mjs");

class SessionCreateError extends Error {
  constructor(
    message: string,
    readonly hasCuda: boolean,
  ) {
    super(message);
  }
}

/**
 * A session in a worker thread. Should the thread die (a native crash), the runs in flight fail with
 * MODEL_RUNTIME and the next run starts a fresh thread with the same options.
 */
class WorkerSession implements ModelSession {
  private worker: Worker | null = null;
  private ready: Promise<string> | null = null;
  private readonly pending = new Map<number, { resolve: (o: Record<string, Float32Array>) => void; reject: (e: unknown) => void }>();
  private nextId = 1;
  private released = false;

  constructor(
    private readonly onnxPath: string,
    private readonly options: InferenceSession.SessionOptions,
  ) {}

  /** Starts the thread and creates the session; resolves with the model's input name. */
  start(): Promise<string> {
    const worker = new Worker(workerPath());
    this.worker = worker;
    this.ready = new Promise<string>((resolve, reject) => {
      worker.on("message", (msg: FromWorker) => {
        if (msg.type === "created") {
          if (this.pending.size === 0) worker.unref(); // idle, it must not keep a CLI process alive
          resolve(msg.inputNames[0]);
        } else if (msg.type === "create-failed") reject(new SessionCreateError(msg.message, msg.hasCuda));
        else if (msg.type === "result" || msg.type === "run-failed") this.settle(msg);
      });
      const died = (reason: string) => {
        if (this.worker !== worker) return;
        this.worker = null;
        this.ready = null;
        const error = new ModelError("MODEL_RUNTIME", `the inference thread stopped (${reason})`);
        reject(error);
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
      };
      worker.on("error", (e) => died(e.message));
      worker.on("exit", (code) => died(`exit code ${code}`));
    });
    worker.postMessage({ type: "create", onnxPath: this.onnxPath, options: this.options });
    return this.ready;
  }

  private settle(msg: Extract<FromWorker, { id: number }>) {
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (msg.type === "run-failed") {
      p.reject(new ModelError("MODEL_RUNTIME", `onnxruntime failed: ${msg.message}`));
      return;
    }
    p.resolve(Object.fromEntries(Object.entries(msg.outputs).map(([name, o]) => [name, new Float32Array(o.data)])));
  }

  async run(input: Float32Array, dims: readonly number[]): Promise<Record<string, Float32Array>> {
    if (this.released) throw new ModelError("MODEL_CLOSED", "the model was closed");
    const inputName = await (this.ready ?? this.start());
    const worker = this.worker;
    if (!worker) throw new ModelError("MODEL_RUNTIME", "the inference thread stopped");
    const id = this.nextId++;
    // Hand the buffer over rather than copying it; a view into a larger buffer is copied first.
    const data = input.byteOffset === 0 && input.byteLength === input.buffer.byteLength ? input.buffer : input.slice().buffer;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ type: "run", id, input: inputName, data, dims: [...dims] }, [data as ArrayBuffer]);
    });
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    worker.ref(); // keep the process alive until the session is released
    await new Promise<void>((resolve) => {
      worker.on("exit", () => resolve());
      worker.on("message", (msg: FromWorker) => msg.type === "released" && void worker.terminate());
      worker.postMessage({ type: "release" });
    });
  }
}

async function startSession(onnxPath: string, cfg: SessionConfig, provider: ExecutionProvider): Promise<ModelSession> {
  const session = new WorkerSession(onnxPath, sessionOptions(cfg, provider));
  try {
    await session.start();
  } catch (err) {
    await session.release();
    throw err;
  }
  return session;
}

export async function createSession(onnxPath: string, cfg: SessionConfig, log: SessionLogger): Promise<CreatedSession> {
  if (cfg.executionProvider === "cuda") {
    try {
      const session = await startSession(onnxPath, cfg, "cuda");
      log.info({ provider: "cuda" }, "model session uses CUDA");
      return { session, provider: "cuda", fallbackReason: null };
    } catch (err) {
      const reason =
        err instanceof SessionCreateError && !err.hasCuda
          ? "this onnxruntime-node build has no CUDA provider"
          : `CUDA provider could not be loaded (${(err as Error).message})`;
      log.warn({ requested: "cuda", provider: "cpu", reason }, "CUDA requested but unavailable; using CPU");
      const session = await startSession(onnxPath, cfg, "cpu");
      return { session, provider: "cpu", fallbackReason: reason };
    }
  }
  const session = await startSession(onnxPath, cfg, "cpu");
  return { session, provider: "cpu", fallbackReason: null };
}
