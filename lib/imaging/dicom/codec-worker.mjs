// Worker thread that runs the compressed-frame codecs (CharLS, libjpeg-turbo, OpenJPEG, OpenJPH as WASM;
// jpeg-lossless-decoder-js). Codecs run synchronously and some spin for tens of seconds on hostile
// input (measured: CharLS took 37 s on a 4 KB damaged JPEG-LS frame), which would freeze the
// server's event loop. Here they run off the main thread, and codec-pool.ts terminates a worker
// that overruns its deadline. Plain JavaScript so Node loads it directly in dev, CLI and production.
import fs from "node:fs";
import { parentPort } from "node:worker_threads";

/** This thread's id in /proc (Linux), so the pool can charge a frame's budget in this thread's CPU time. */
const tid = (() => {
  try {
    return Number(fs.readlinkSync("/proc/thread-self").split("/").pop());
  } catch {
    return undefined;
  }
})();

/** CPU time of this thread in ms (Node's own counter where it has one). */
const cpuMs = () => {
  const usage = typeof process.threadCpuUsage === "function" ? process.threadCpuUsage() : null;
  return usage ? (usage.user + usage.system) / 1000 : undefined;
};

// A fresh options object per codec: Emscripten adopts the object it is given as its Module, so
// sharing one would make the codecs register into (and clobber) the same object.
const quiet = () => ({ print: () => {}, printErr: () => {} });
const loaders = {
  charls: async () => (await import("@cornerstonejs/codec-charls/decodewasmjs")).default(quiet()).then((m) => m.JpegLSDecoder),
  libjpeg: async () =>
    (await import("@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs")).default(quiet()).then((m) => m.JPEGDecoder),
  openjpeg: async () => (await import("@cornerstonejs/codec-openjpeg/decodewasmjs")).default(quiet()).then((m) => m.J2KDecoder),
  openjph: async () => (await import("@cornerstonejs/codec-openjph")).default(quiet()).then((m) => m.HTJ2KDecoder),
};
/** @type {Map<string, Promise<any>>} */
const instances = new Map();

function codecClass(name) {
  let p = instances.get(name);
  if (!p) {
    p = loaders[name]();
    instances.set(name, p);
  }
  return p;
}

/** Copies `count` container samples (1 or 2 bytes each) out of WASM memory. */
function copySamples(bytes, count, bytesPerSample) {
  const need = count * bytesPerSample;
  if (bytes.length < need) throw new Error(`decoder returned ${bytes.length} bytes, expected ${need}`);
  return new Uint8Array(bytes.subarray(0, need)).buffer;
}

/** Tells the pool the codec is loaded and decoding starts now: the frame's budget runs from here. */
function started(job) {
  job.cpuAtStart = cpuMs();
  parentPort.postMessage({ id: job.id, started: true, tid });
}

/** A refusal the pool reports as this imaging error code; `message` completes "The <syntax> frame ...". */
class FrameError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

async function runEmscripten(name, data, expected) {
  const Decoder = await codecClass(name);
  started(expected);
  let decoder;
  try {
    decoder = new Decoder();
    decoder.getEncodedBuffer(data.length).set(data);
    decoder.decode();
    const info = decoder.getFrameInfo();
    if (info.width !== expected.columns || info.height !== expected.rows || info.componentCount !== 1) {
      throw new Error(`decoded ${info.width}x${info.height}x${info.componentCount}`);
    }
    const bytesPerSample = Math.max(info.bitsPerSample, expected.precision) <= 8 ? 1 : 2;
    return { bytesPerSample, samples: copySamples(decoder.getDecodedBuffer(), info.width * info.height, bytesPerSample) };
  } catch (e) {
    // An aborted Emscripten instance is unusable: load a fresh one for the next frame.
    instances.delete(name);
    throw e;
  } finally {
    try {
      decoder?.delete();
    } catch {
      // discarded anyway
    }
  }
}

/** 12-bit lossy JPEG, by this project's own decoder (jpeg-extended.mjs). */
async function runJpegExtended(data, expected) {
  const { decodeJpegExtended } = await import("./jpeg-extended.mjs");
  started(expected);
  const out = decodeJpegExtended(data);
  if (out.width !== expected.columns || out.height !== expected.rows) throw new Error(`decoded ${out.width}x${out.height}`);
  return { bytesPerSample: 2, samples: out.samples.buffer };
}

async function runJpegLossless(data, expected) {
  const { Decoder } = await import("jpeg-lossless-decoder-js");
  started(expected);
  const bytesPerSample = expected.precision <= 8 ? 1 : 2;
  const decoder = new Decoder();
  const out = decoder.decode(data.buffer, data.byteOffset, data.length, bytesPerSample);
  const count = expected.rows * expected.columns;
  if (!out || out.length < count) throw new Error("lossless decoder returned too few samples");
  // The decoder reads zeros past the end of a cut frame and returns the missing rows blank, and stops
  // at an early end-of-image marker leaving the rest blank: check how far it really got.
  if (decoder.stream.index > data.length) {
    throw new FrameError("truncated", `ends before all ${expected.rows} rows were decoded: the file is truncated.`);
  }
  if (decoder.yLoc < decoder.yDim) {
    throw new FrameError(
      "header_mismatch",
      `header promises ${decoder.yDim} rows but its data ends after ${decoder.yLoc}: the header does not match the data.`,
    );
  }
  const bytes = new Uint8Array(out.buffer, out.byteOffset, count * bytesPerSample);
  return { bytesPerSample, samples: new Uint8Array(bytes).buffer };
}

parentPort.on("message", async (job) => {
  try {
    const data = new Uint8Array(job.data);
    const result =
      job.codec === "jpeg-lossless"
        ? await runJpegLossless(data, job)
        : job.codec === "jpeg-extended"
          ? await runJpegExtended(data, job)
          : await runEmscripten(job.codec, data, job);
    const end = cpuMs();
    const cpu = end !== undefined && job.cpuAtStart !== undefined ? end - job.cpuAtStart : undefined;
    parentPort.postMessage({ id: job.id, ok: true, cpuMs: cpu, ...result }, [result.samples]);
  } catch (e) {
    const message = typeof e === "number" ? `codec exception ${e}` : e instanceof Error ? e.message : String(e);
    const errorCode = e && typeof e === "object" && "code" in e ? String(e.code) : undefined;
    parentPort.postMessage({ id: job.id, ok: false, error: message.slice(0, 300), errorCode });
  }
});
