import "server-only";
import * as ort from "onnxruntime-node";
import { encodeModel, floatOutput, type ModelObj } from "./onnx-model";
import { HistogramObserver, RangeObserver } from "./quant-params";
import type { Range } from "./qdq-rewrite";

// Activation ranges, measured by running the float32 graph itself with the values to be quantized
// exposed as extra graph outputs, one film at a time (the exposed activations of one film take about
// 100 MB). "minmax" keeps each value's min and max over all films; "mse" (the default) runs the films
// a second time into a histogram over that range and takes the range of least quantization error.

export type RangeMethod = "minmax" | "mse";

export async function calibrateRanges(
  model: ModelObj,
  values: string[],
  inputs: Float32Array[],
  size: number,
  channels = 1,
  method: RangeMethod = "mse",
): Promise<Map<string, Range>> {
  if (inputs.length === 0) throw new Error("calibration needs at least one film");
  const existing = new Set(model.graph.output.map((o) => o.name));
  const exposed = values.filter((v) => !existing.has(v));
  const probe: ModelObj = { ...model, graph: { ...model.graph, output: [...model.graph.output, ...exposed.map(floatOutput)] } };
  // Basic optimisation only: the full level would fuse away (and hide) some of the exposed values.
  const session = await ort.InferenceSession.create(encodeModel(probe), { graphOptimizationLevel: "basic", logSeverityLevel: 3 });
  const pass = async (observe: (value: string, data: Float32Array) => void) => {
    for (const x of inputs) {
      const out = await session.run({ [session.inputNames[0]]: new ort.Tensor("float32", x, [1, channels, size, size]) }, values);
      for (const v of values) observe(v, out[v].data as Float32Array);
    }
  };
  try {
    const observers = new Map(values.map((v) => [v, new RangeObserver()]));
    await pass((v, data) => observers.get(v)!.observe(data));
    const minmax = new Map([...observers].map(([v, o]) => [v, { min: o.min, max: o.max }]));
    if (method === "minmax") return minmax;
    const histograms = new Map([...minmax].map(([v, r]) => [v, new HistogramObserver(r.min, r.max)]));
    await pass((v, data) => histograms.get(v)!.observe(data));
    return new Map([...histograms].map(([v, h]) => [v, h.mseRange()]));
  } finally {
    await session.release();
  }
}
