// The thread that owns one onnxruntime session. onnxruntime-node's run() keeps the calling thread busy
// for the whole batch (measured: the event loop stalled 127 ms per batch of 8), which would freeze every
// page and API request of the server while the model works. Here it blocks only this thread; the main
// thread posts input batches and receives outputs, both as transferred buffers (no copies).
// Plain JavaScript so Node loads it directly in dev, CLI and production.
import { parentPort } from "node:worker_threads";
import * as ort from "onnxruntime-node";

/** @type {ort.InferenceSession | null} */
let session = null;

const errorMessage = (e) => (e instanceof Error ? e.message : String(e)).split("\n")[0].slice(0, 500);

async function create({ onnxPath, options }) {
  try {
    session = await ort.InferenceSession.create(onnxPath, options);
    parentPort.postMessage({ type: "created", inputNames: session.inputNames, outputNames: session.outputNames });
  } catch (e) {
    const hasCuda = ort.listSupportedBackends().some((b) => b.name === "cuda");
    parentPort.postMessage({ type: "create-failed", message: errorMessage(e), hasCuda });
  }
}

async function run({ id, input, data, dims }) {
  try {
    if (!session) throw new Error("no session");
    const out = await session.run({ [input]: new ort.Tensor("float32", new Float32Array(data), dims) });
    const outputs = {};
    const transfer = [];
    for (const [name, tensor] of Object.entries(out)) {
      // Copy out of onnxruntime's buffer into one this thread can hand over.
      const copy = new Float32Array(tensor.data);
      outputs[name] = { data: copy.buffer, dims: [...tensor.dims] };
      transfer.push(copy.buffer);
    }
    parentPort.postMessage({ type: "result", id, outputs }, transfer);
  } catch (e) {
    parentPort.postMessage({ type: "run-failed", id, message: errorMessage(e) });
  }
}

parentPort.on("message", async (msg) => {
  if (msg.type === "create") await create(msg);
  else if (msg.type === "run") await run(msg);
  else if (msg.type === "release") {
    await session?.release();
    session = null;
    parentPort.postMessage({ type: "released" });
    parentPort.close();
  }
});
