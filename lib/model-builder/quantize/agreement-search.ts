import "server-only";
import * as ort from "onnxruntime-node";
import { calibrate } from "@/lib/inference/calibrate";
import type { ModelManifest } from "@/lib/inference/manifest";
import { encodeModel, type ModelObj } from "./onnx-model";
import { planQdq, type QdqPlan } from "./qdq-plan";
import { rewriteQdq, type Range } from "./qdq-rewrite";

// Mixed precision chosen by measurement: how far the quantized graph's calibrated scores move from the
// float32 graph's on the calibration films decides which convolutions may run int8. A trained network
// usually passes with every convolution int8 (one measurement). A network that does not is made int8
// from its last convolution backwards, as far as the limit allows: errors made late pass through fewer
// layers before the scores, and the measured sensitivity falls with depth (docs/int8.md). The cut is
// found by bisection over the convolutions in graph order; every measurement is kept for the manifest.

export interface AgreementProbe {
  /** Convolutions int8 (the last ones of the graph). */
  int8Convs: number;
  maxAbsCalibratedDifference: number;
  /** Film x finding pairs whose call at the operating point (calibrated >= 0.5) differs. */
  changedCalls: number;
}

export interface AgreementSearch {
  limit: number;
  /** The convolutions left float32 so that the limit holds (graph order), and what each cut measured. */
  keptFloat: string[];
  probes: AgreementProbe[];
  chosen: AgreementProbe;
}

interface SearchInput {
  model: ModelObj;
  ranges: Map<string, Range>;
  inputs: Float32Array[];
  manifest: Pick<ModelManifest, "labels" | "op_threshs" | "input">;
  limit: number;
  /** Convolutions never int8 whatever the measurement. */
  keepFloat?: (nodeName: string) => boolean;
}

async function logitsOf(bytes: Uint8Array, inputs: Float32Array[], size: number, channels: number): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, logSeverityLevel: 3 });
  try {
    const out: Float32Array[] = [];
    for (const x of inputs) {
      const r = await session.run({ [session.inputNames[0]]: new ort.Tensor("float32", x, [1, channels, size, size]) }, [session.outputNames[0]]);
      out.push(r[session.outputNames[0]].data as Float32Array);
    }
    return out;
  } finally {
    await session.release();
  }
}

export async function searchAgreement(s: SearchInput): Promise<{ plan: QdqPlan; search: AgreementSearch }> {
  const { size, shape } = s.manifest.input;
  const fixed = s.keepFloat ?? (() => false);
  const order = planQdq(s.model.graph, fixed).convs.map((c) => c.name);
  const reference = (await logitsOf(encodeModel(s.model), s.inputs, size, shape[1])).map((l) => calibrate(l, s.manifest));
  const probes: AgreementProbe[] = [];
  const plans = new Map<number, QdqPlan>();

  /** int8 from convolution `cut` (graph order) on. */
  const measure = async (cut: number): Promise<AgreementProbe> => {
    const floatNames = new Set(order.slice(0, cut));
    const plan = planQdq(s.model.graph, (n) => fixed(n) || floatNames.has(n));
    plans.set(cut, plan);
    const { model } = rewriteQdq(s.model, plan, s.ranges);
    const scores = (await logitsOf(encodeModel(model), s.inputs, size, shape[1])).map((l) => calibrate(l, s.manifest));
    let max = 0;
    let changedCalls = 0;
    scores.forEach((film, i) =>
      film.forEach((f, k) => {
        const r = reference[i][k];
        max = Math.max(max, Math.abs(f.calibrated - r.calibrated));
        if (f.positive !== r.positive) changedCalls++;
      }),
    );
    const probe = { int8Convs: order.length - cut, maxAbsCalibratedDifference: max, changedCalls };
    probes.push(probe);
    return probe;
  };
  const passes = (p: AgreementProbe) => p.maxAbsCalibratedDifference <= s.limit && p.changedCalls === 0;

  let chosenCut = 0;
  let chosen = await measure(0);
  if (!passes(chosen)) {
    // lo: a cut measured failing; hi: a cut passing (order.length, all float, passes by definition).
    let lo = 0;
    let hi = order.length;
    chosen = { int8Convs: 0, maxAbsCalibratedDifference: 0, changedCalls: 0 };
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      const p = await measure(mid);
      if (passes(p)) {
        hi = mid;
        chosen = p;
      } else lo = mid;
    }
    chosenCut = hi;
  }
  const plan = plans.get(chosenCut) ?? planQdq(s.model.graph, (n) => fixed(n) || order.indexOf(n) < chosenCut);
  return { plan, search: { limit: s.limit, keptFloat: order.slice(0, chosenCut), probes, chosen } };
}
