// A small pool of codec worker threads with a per-frame budget (decode-budget.ts: proportional to the
// frame's pixels), charged in the processor time the codec thread uses (thread-cpu.ts), so a busy
// machine, where a valid frame waits for a core, does not use it up. A frame whose codec overruns it
// gets its worker terminated (the only way to stop a spinning WASM call) and is refused with
// `decode_timeout`, which the worker retries as a failure that may be the film's; the next frame gets
// a fresh worker. The budget starts when the codec starts on the frame, so loading a codec module is
// not charged to it. A wall-clock ceiling (WALL_FACTOR times the budget) still bounds every frame.
import "server-only";
import fs from "node:fs";
import { Worker } from "node:worker_threads";
import { workerScriptPath } from "@/lib/workers/script-path";
import { ImagingError, type ImagingErrorCode } from "../errors";
import { BUDGET_FACTOR, decodeBudgetMs, recordDecode, type CodecName } from "./decode-budget";
import { threadCpuMs } from "./thread-cpu";

export type { CodecName };

export interface CodecJob {
  codec: CodecName;
  data: Uint8Array;
  rows: number;
  columns: number;
  precision: number;
  /** Explicit deadline; by default the budget for the frame's pixel count. */
  timeoutMs?: number;
  syntax: string;
}

export interface CodecResult {
  bytesPerSample: 1 | 2;
  samples: ArrayBuffer;
}

/**
 * The codec worker or a codec package could not be loaded: a deployment fault, not a bad upload,
 * so it is deliberately not an ImagingError (the API answers 500 and the log says why).
 */
export class CodecUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CodecUnavailableError";
  }
}

const isLoadFailure = (code: unknown) =>
  code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND" || code === "ERR_WORKER_PATH" || code === "ENOENT";

/** Two cores on the reference machine: two codec threads keep both busy without oversubscribing. */
const POOL_SIZE = 2;

/** However starved of processor time, a frame is stopped after this many times its budget in wall time. */
const WALL_FACTOR = 10;
const WALL_FLOOR_MS = 30_000;

/** Loading a codec module (WASM compile) on a loaded machine; a frame's budget starts after it. */
const LOAD_TIMEOUT_MS = 30_000;

/** Refusals the worker itself can establish (a frame that ended early or has fewer rows than promised). */
const WORKER_IMAGING_CODES: ReadonlySet<string> = new Set<ImagingErrorCode>(["truncated", "header_mismatch"]);

const formatMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

interface Pending extends CodecJob {
  id: number;
  resolve: (r: CodecResult) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  job?: Pending;
  timer?: NodeJS.Timeout;
  startedAt?: number;
  /** The codec thread's id in /proc and its CPU time when the frame started (Linux). */
  tid?: number;
  cpuAtStart?: number | null;
}

const workerPath = () => workerScriptPath(() => new URL("./codec-worker.mjs", import.meta.url), "lib/imaging/dicom/codec-worker.mjs");

let nextId = 1;
const slots: Slot[] = [];
const queue: Pending[] = [];

function retire(slot: Slot): void {
  const i = slots.indexOf(slot);
  if (i >= 0) slots.splice(i, 1);
  if (slot.timer) clearTimeout(slot.timer);
  slot.worker.removeAllListeners();
  slot.worker.on("error", () => {}); // late errors from a terminated worker are irrelevant
  void slot.worker.terminate();
}

function fail(slot: Slot, error: unknown): void {
  const job = slot.job;
  slot.job = undefined;
  retire(slot);
  job?.reject(error);
  pump();
}

function spawn(): Slot {
  const file = workerPath();
  if (!fs.existsSync(file)) throw new CodecUnavailableError(`The codec worker script is missing (${file}).`);
  const worker = new Worker(file);
  const slot: Slot = { worker };
  worker.unref(); // an idle pool must not keep a CLI process alive
  worker.on("message", (msg: { id: number; started?: boolean; tid?: number; cpuMs?: number; ok: boolean; error?: string; errorCode?: string } & Partial<CodecResult>) => {
    const job = slot.job;
    if (!job || msg.id !== job.id) return;
    clearTimeout(slot.timer);
    if (msg.started) {
      slot.startedAt = performance.now();
      slot.tid = msg.tid;
      slot.cpuAtStart = threadCpuMs(msg.tid);
      armBudget(slot, job);
      return;
    }
    slot.job = undefined;
    slot.worker.unref();
    if (msg.ok && msg.samples && (msg.bytesPerSample === 1 || msg.bytesPerSample === 2)) {
      // The codec's processor time where the thread could measure it: budgets are in the same unit.
      const spent = msg.cpuMs ?? (slot.startedAt !== undefined ? performance.now() - slot.startedAt : undefined);
      if (spent !== undefined) recordDecode(job.codec, job.rows * job.columns, spent);
      job.resolve({ bytesPerSample: msg.bytesPerSample, samples: msg.samples });
    } else if (msg.errorCode && WORKER_IMAGING_CODES.has(msg.errorCode)) {
      job.reject(new ImagingError(msg.errorCode as ImagingErrorCode, `The ${job.syntax} frame ${msg.error}`));
    } else if (isLoadFailure(msg.errorCode)) {
      job.reject(new CodecUnavailableError(`The ${job.codec} codec could not be loaded: ${msg.error}`));
    } else {
      job.reject(
        new ImagingError("corrupt", `The ${job.syntax} compressed DICOM frame could not be decoded: it is damaged.`, {
          cause: new Error(msg.error ?? "codec failure"),
        }),
      );
    }
    pump();
  });
  worker.on("error", (e) => {
    if (isLoadFailure((e as { code?: unknown }).code)) {
      fail(slot, new CodecUnavailableError("The codec worker could not be loaded.", { cause: e }));
      return;
    }
    fail(slot, new ImagingError("corrupt", "The compressed DICOM frame crashed its decoder: the file is damaged.", { cause: e }));
  });
  worker.on("exit", () => {
    if (slots.includes(slot)) {
      fail(slot, new ImagingError("corrupt", "The compressed DICOM frame stopped its decoder: the file is damaged."));
    }
  });
  slots.push(slot);
  return slot;
}

function pump(): void {
  while (queue.length > 0) {
    let slot = slots.find((s) => !s.job);
    if (!slot && slots.length < POOL_SIZE) {
      try {
        slot = spawn();
      } catch (e) {
        for (const job of queue.splice(0)) job.reject(e);
        return;
      }
    }
    if (!slot) return;
    const job = queue.shift()!;
    slot.job = job;
    slot.startedAt = undefined;
    slot.worker.ref();
    const s = slot;
    // Until the worker says the codec is loaded and decoding: a generous load deadline.
    slot.timer = setTimeout(() => {
      fail(s, new ImagingError("decode_timeout", `The ${job.syntax} decoder did not start within ${formatMs(LOAD_TIMEOUT_MS)}; try again later.`));
    }, LOAD_TIMEOUT_MS);
    // Copy into a transferable buffer: the source may be a view into the whole upload.
    const data = new Uint8Array(job.data).buffer;
    slot.worker.postMessage(
      { id: job.id, codec: job.codec, data, rows: job.rows, columns: job.columns, precision: job.precision },
      [data],
    );
  }
}

/**
 * Checks the frame's budget after `budget` ms of wall time: if the codec thread has used less processor
 * time than that (it waited for a core), checks again once the rest could have been used, up to the
 * wall ceiling; else stops it.
 */
function armBudget(slot: Slot, job: Pending): void {
  const pixels = job.rows * job.columns;
  const budget = job.timeoutMs ?? decodeBudgetMs(job.codec, pixels);
  const ceiling = slot.startedAt! + Math.max(WALL_FLOOR_MS, budget * WALL_FACTOR);
  const why =
    job.timeoutMs === undefined
      ? ` (its budget for ${(pixels / 1e6).toFixed(2)} megapixels: ${BUDGET_FACTOR} times what frames of that size take here)`
      : "";
  const check = () => {
    const now = performance.now();
    const cpu = threadCpuMs(slot.tid);
    const used = cpu !== null && slot.cpuAtStart != null ? cpu - slot.cpuAtStart : null;
    // 10 ms: the resolution of /proc's counters.
    if (used !== null && used + 10 < budget && now < ceiling) {
      slot.timer = setTimeout(check, Math.min(budget - used, ceiling - now));
      return;
    }
    const spent = used !== null && now < ceiling ? `${formatMs(budget)} of processor time` : `${formatMs(now - slot.startedAt!)}`;
    fail(
      slot,
      new ImagingError(
        "decode_timeout",
        `Decoding the ${job.syntax} frame took longer than ${spent}${why}: the frame may be damaged, or the server was overloaded. It is tried again.`,
      ),
    );
  };
  slot.timer = setTimeout(check, budget);
}

export function runCodec(job: CodecJob): Promise<CodecResult> {
  return new Promise<CodecResult>((resolve, reject) => {
    queue.push({ ...job, id: nextId++, resolve, reject });
    pump();
  });
}

/** Stops all codec workers (tests and graceful shutdown). */
export async function closeCodecPool(): Promise<void> {
  const closed = () => new CodecUnavailableError("The codec pool was shut down.");
  for (const job of queue.splice(0)) job.reject(closed());
  for (const slot of [...slots]) {
    slot.job?.reject(closed());
    slot.job = undefined;
    retire(slot);
  }
}
