// An image thread of image-pool.ts: runs an analysis's image work (image-work.ts: the stored original
// decoded with its quality gates, the model input, the two renderings stored) off the worker's main
// thread, whose large heap made every upload's megabytes of buffers cost full collections. The work is
// the app's TypeScript: under tsx (`npm run worker`, the web process) this thread inherits its loader;
// elsewhere (vitest) it registers tsx itself. Plain JavaScript so Node loads it directly.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parentPort } from "node:worker_threads";

// Beside this file in the source tree; a copy of this file in Next's server bundle uses the source tree's
// (as lib/workers/script-path.ts does: `next start` runs from the repository root).
const beside = new URL("./image-work.ts", import.meta.url);
const workModule = fs.existsSync(fileURLToPath(beside)) ? beside.href : pathToFileURL(path.resolve(process.cwd(), "lib/analyses/image-work.ts")).href;

/** An error as the pool rebuilds it: its kind and words, never its object. */
const plain = (error) => ({
  name: error?.name ?? "Error",
  message: error?.message ?? String(error),
  stack: error?.stack,
  code: typeof error?.code === "string" ? error.code : undefined,
});

let work;
try {
  if (!process.execArgv.some((arg) => arg.includes("tsx"))) (await import("tsx/esm/api")).register();
  work = await import(workModule);
} catch (error) {
  parentPort.postMessage({ type: "load-failed", error: plain(error) });
  // Nothing else to do here: the pool refuses the work and replaces this thread on the next request.
  await new Promise(() => {});
}

async function handle(msg) {
  if (msg.type === "prepare") {
    const reply = await work.prepareStored(msg.handle, msg.request);
    // The model input's buffer moves to the main thread (it comes back once the model has it).
    parentPort.postMessage({ type: "done", id: msg.id, value: reply }, reply.kind === "prepared" ? [reply.input.buffer] : []);
  } else if (msg.type === "render") {
    parentPort.postMessage({ type: "done", id: msg.id, value: await work.storeRenderings(msg.handle, msg.sha256) });
  }
}

parentPort.on("message", (msg) => {
  if (msg.type === "inputs") {
    for (const buffer of msg.buffers) work.takeBackInput(buffer);
  } else {
    handle(msg).catch((error) => parentPort.postMessage({ type: "failed", id: msg.id, error: plain(error) }));
  }
});
parentPort.postMessage({ type: "ready" });
