import "server-only";
import os from "node:os";
import { Worker } from "node:worker_threads";
// Loaded here first, as sharp asks of programs that use it in worker threads: libvips then stays loaded
// when a thread that used it exits, so a replacement thread can load it again.
import "sharp";
import { env } from "@/lib/env";
import { workerScriptPath } from "@/lib/workers/script-path";
import type { PrepareReply, PrepareRequest, RenderTimings } from "./image-work";

// The worker's image threads (image-worker.mjs running image-work.ts): a small persistent pool that
// decodes, prepares and renders each claimed image off the main thread. The main thread's ~35 MB heap
// answered every ~10 uploads' buffers with a full mark-compact (10-45 ms each); a thread's small heap
// collects them cheaply. Only the model input crosses (transferred, and handed back once the model has
// it); the renderings are stored from the thread that holds their source.
//
// A thread that dies or stops answering is ended and its requests fail as plain errors (the analysis is
// retried); the next request starts a fresh thread.

/** Loading tsx and the imaging modules on a loaded machine. */
const LOAD_TIMEOUT_MS = 60_000;
/** One request (a 40-megapixel film, its gates and renderings, on a loaded machine), far above normal. */
const REQUEST_TIMEOUT_MS = 120_000;

/** IMAGE_THREADS, else the cores onnxruntime's intra-op threads leave free (at least one). */
export function imageThreadCount(): number {
  return env.IMAGE_THREADS ?? Math.max(1, os.availableParallelism() - env.ORT_INTRA_OP_THREADS);
}

const workerPath = () => workerScriptPath(() => new URL("./image-worker.mjs", import.meta.url), "lib/analyses/image-worker.mjs");

type FromThread =
  | { type: "ready" }
  | { type: "load-failed"; error: ThreadError }
  | { type: "done"; id: number; value: unknown }
  | { type: "failed"; id: number; error: ThreadError };

interface ThreadError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  pending: Map<number, Pending>;
}

/** An error of an image thread, rebuilt with its name, message and stack (never an ImagingError: those come back as outcomes). */
export class ImageThreadError extends Error {
  constructor(error: ThreadError) {
    super(error.message);
    this.name = error.name;
    if (error.stack) this.stack = error.stack;
  }
}

let nextId = 1;
const slots: Slot[] = [];

function retire(slot: Slot, reason: string): Promise<number> {
  const i = slots.indexOf(slot);
  if (i >= 0) slots.splice(i, 1);
  const error = new Error(`the image thread stopped (${reason})`);
  for (const p of slot.pending.values()) {
    clearTimeout(p.timer);
    p.reject(error);
  }
  slot.pending.clear();
  slot.worker.removeAllListeners();
  slot.worker.on("error", () => {}); // late errors from a terminated thread are irrelevant
  return slot.worker.terminate();
}

function spawn(): Slot {
  // The imaging modules import "server-only", which resolves to nothing under the react-server condition.
  // A process started with it (npm run worker, npm start) passes its flags on as they are; elsewhere
  // (vitest, a web process started without it) the thread gets that condition only, since Node refuses
  // V8 flags such as --trace-gc in a thread's own list, and registers tsx itself.
  const inherit = process.execArgv.some((arg) => arg === "react-server" || arg.endsWith("=react-server"));
  const worker = new Worker(workerPath(), inherit ? {} : { execArgv: ["--conditions=react-server"] });
  worker.unref(); // an idle pool must not keep a CLI process alive
  let loaded: (() => void) | undefined;
  let loadFailed: ((e: unknown) => void) | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    loaded = resolve;
    loadFailed = reject;
  });
  ready.catch(() => undefined);
  const slot: Slot = { worker, ready, pending: new Map() };
  const loadTimer = setTimeout(() => {
    loadFailed?.(new Error(`the image thread did not load within ${LOAD_TIMEOUT_MS / 1000} s`));
    void retire(slot, "load timeout");
  }, LOAD_TIMEOUT_MS);
  loadTimer.unref();
  worker.on("message", (msg: FromThread) => {
    if (msg.type === "ready") {
      clearTimeout(loadTimer);
      loaded?.();
    } else if (msg.type === "load-failed") {
      clearTimeout(loadTimer);
      loadFailed?.(new ImageThreadError(msg.error));
      void retire(slot, "its modules could not be loaded");
    } else {
      const p = slot.pending.get(msg.id);
      if (!p) return;
      slot.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (slot.pending.size === 0) worker.unref();
      if (msg.type === "done") p.resolve(msg.value);
      else p.reject(new ImageThreadError(msg.error));
    }
  });
  const died = (reason: string) => {
    clearTimeout(loadTimer);
    loadFailed?.(new Error(`the image thread stopped (${reason})`));
    if (slots.includes(slot)) void retire(slot, reason);
  };
  worker.on("error", (e) => died(e.message));
  worker.on("exit", (code) => died(`exit code ${code}`));
  slots.push(slot);
  return slot;
}

/** The thread with the fewest requests in flight, starting one while the pool is below its size. */
function pick(): Slot {
  const idle = slots.find((s) => s.pending.size === 0);
  if (idle) return idle;
  if (slots.length < imageThreadCount()) return spawn();
  return slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
}

async function request<T>(slot: Slot, message: Record<string, unknown>): Promise<T> {
  await slot.ready;
  if (!slots.includes(slot)) throw new Error("the image thread stopped");
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => void retire(slot, `a request took longer than ${REQUEST_TIMEOUT_MS / 1000} s`), REQUEST_TIMEOUT_MS);
    slot.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
    slot.worker.ref();
    slot.worker.postMessage({ ...message, id });
  });
}

/** A prepared image: its model input here, its rendering source in the thread that prepared it. */
export interface ThreadPrepared {
  metadata: Extract<PrepareReply, { kind: "prepared" }>["metadata"];
  warnings: Extract<PrepareReply, { kind: "prepared" }>["warnings"];
  decodeMs: number;
  preprocessMs: number;
  input: Float32Array;
  /** Renders and stores the display image and thumbnail (once; the thread then lets the source go). */
  storeRenderings(): Promise<RenderTimings>;
}

/**
 * Reads the stored original, decodes it with its gates and makes the model input, in an image thread.
 * A file that cannot be analysed comes back as `rejected` with its ImagingError's code and message;
 * anything else that fails is thrown.
 */
export async function prepareInThread(req: PrepareRequest): Promise<ThreadPrepared | Exclude<PrepareReply, { kind: "prepared" }>> {
  const slot = pick();
  const handle = nextId++;
  const reply = await request<PrepareReply>(slot, { type: "prepare", handle, request: req });
  if (reply.kind !== "prepared") return reply;
  origins.set(reply.input.buffer, slot);
  return {
    metadata: reply.metadata,
    warnings: reply.warnings,
    decodeMs: reply.decodeMs,
    preprocessMs: reply.preprocessMs,
    input: reply.input,
    storeRenderings: async () => {
      if (!slots.includes(slot)) throw new Error("the image thread that prepared this image stopped");
      return request<RenderTimings>(slot, { type: "render", handle, sha256: req.sha256 });
    },
  };
}

/** Which thread each model input came from, so its buffer can go back to that thread's pixel pool. */
const origins = new WeakMap<ArrayBufferLike, Slot>();

/** Hands model inputs the model is done with back to the threads they came from, for their next decodes. */
export function returnInputs(inputs: Float32Array[]): void {
  const bySlot = new Map<Slot, ArrayBuffer[]>();
  for (const input of inputs) {
    const slot = origins.get(input.buffer);
    // A buffer the model's thread took over is detached (empty) here: nothing to give back.
    if (!slot || !slots.includes(slot) || input.buffer.byteLength === 0) continue;
    origins.delete(input.buffer);
    const list = bySlot.get(slot) ?? [];
    if (!list.includes(input.buffer as ArrayBuffer)) list.push(input.buffer as ArrayBuffer);
    bySlot.set(slot, list);
  }
  for (const [slot, buffers] of bySlot) slot.worker.postMessage({ type: "inputs", buffers }, buffers);
}

/** Stops every image thread (tests and graceful shutdown); requests in flight fail. */
export async function closeImagePool(): Promise<void> {
  await Promise.all([...slots].map((slot) => retire(slot, "the pool was shut down")));
}
