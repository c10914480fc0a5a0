import { ONNX_FLOAT, ONNX_INT32, ONNX_INT8, ONNX_UINT8 } from "../onnx/onnx-schema";
import { floatData, rawBytes, type GraphObj, type ModelObj, type NodeObj, type TensorObj } from "./onnx-model";
import type { QdqPlan } from "./qdq-plan";
import { activationParams, quantizeBias, quantizeWeightsPerChannel, type ActivationParams } from "./quant-params";

// Writes the QDQ graph of a plan: QuantizeLinear/DequantizeLinear pairs at the plan's points (uint8,
// per-tensor, from calibrated ranges), int8 per-channel weights and int32 biases behind
// DequantizeLinear (axis 0) for each planned convolution. The float graph's order is kept: each pair
// is placed right after the node that makes its value, weight dequantizers first.

export interface Range {
  min: number;
  max: number;
}

export interface RewriteSummary {
  convs: number;
  points: number;
  droppedRelus: number;
  weightBytes: { float: number; int8: number };
}

function tensor(name: string, dataType: number, dims: number[], data: ArrayBufferView): TensorObj {
  return { name, dataType, dims, rawData: rawBytes(data) };
}

function node(opType: string, input: string[], output: string, name: string, axis?: number): NodeObj {
  return { opType, input, output: [output], name, ...(axis === undefined ? {} : { attribute: [{ name: "axis", type: 2, i: axis }] }) };
}

export function rewriteQdq(model: ModelObj, plan: QdqPlan, ranges: Map<string, Range>): { model: ModelObj; summary: RewriteSummary } {
  const g: GraphObj = model.graph;
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  const added: TensorObj[] = [];
  const removedInits = new Set<string>();
  const qconvs = new Set(plan.convs);
  const producedByQconv = new Set(plan.convs.map((c) => c.output[0]));

  // Activation quantization points.
  const params = new Map<string, ActivationParams>(); // by replaced value name
  const pairsAfter = new Map<string, NodeObj[]>(); // by source value name
  const rename = new Map<NodeObj, Map<string, string>>();
  const dropped = new Set<NodeObj>();
  for (const p of plan.points) {
    const r = ranges.get(p.range);
    if (!r) throw new Error(`no calibrated range for ${p.range}`);
    const ap = p.dropRelu ? activationParams(0, r.max) : activationParams(r.min, r.max);
    params.set(p.replaces, ap);
    const scale = `${p.replaces}_scale`;
    const zp = `${p.replaces}_zero_point`;
    added.push(tensor(scale, ONNX_FLOAT, [], Float32Array.of(ap.scale)), tensor(zp, ONNX_UINT8, [], Uint8Array.of(ap.zeroPoint)));
    const q = `${p.replaces}_quantized`;
    const dq = `${p.replaces}_dequantized`;
    pairsAfter.set(p.source, [
      ...(pairsAfter.get(p.source) ?? []),
      node("QuantizeLinear", [p.source, scale, zp], q, `${q}_node`),
      node("DequantizeLinear", [q, scale, zp], dq, `${dq}_node`),
    ]);
    if (p.dropRelu) dropped.add(p.dropRelu);
    // Readers of the value: every one when a quantized convolution makes it (its output may go to
    // QuantizeLinear only), else the quantized convolutions alone (others keep the float value).
    for (const n of g.node) {
      if (n === p.dropRelu || !(producedByQconv.has(p.replaces) || p.dropRelu || qconvs.has(n))) continue;
      if (!n.input.includes(p.replaces)) continue;
      const m = rename.get(n) ?? new Map<string, string>();
      m.set(p.replaces, dq);
      rename.set(n, m);
    }
  }

  // Weights and biases of the quantized convolutions.
  const weightNodes: NodeObj[] = [];
  let floatBytes = 0;
  let int8Bytes = 0;
  for (const c of plan.convs) {
    const wInit = inits.get(c.input[1])!;
    const out = wInit.dims[0];
    const w = quantizeWeightsPerChannel(floatData(wInit), out);
    floatBytes += wInit.rawData.byteLength;
    int8Bytes += w.values.byteLength;
    const base = c.input[1];
    added.push(
      tensor(`${base}_quantized`, ONNX_INT8, wInit.dims, w.values),
      tensor(`${base}_scale`, ONNX_FLOAT, [out], w.scales),
      tensor(`${base}_zero_point`, ONNX_INT8, [out], new Int8Array(out)),
    );
    weightNodes.push(node("DequantizeLinear", [`${base}_quantized`, `${base}_scale`, `${base}_zero_point`], `${base}_dequantized`, `${base}_dq_node`, 0));
    removedInits.add(base);
    const m = rename.get(c) ?? new Map<string, string>();
    m.set(base, `${base}_dequantized`);
    const inParams = params.get(c.input[0]);
    // Without a quantized input (only in experiments that leave activations float) the bias stays float.
    if (c.input[2] && inParams) {
      const bInit = inits.get(c.input[2])!;
      const b = quantizeBias(floatData(bInit), inParams.scale, w.scales);
      const bn = c.input[2];
      added.push(
        tensor(`${bn}_quantized`, ONNX_INT32, [out], b.values),
        tensor(`${bn}_scale`, ONNX_FLOAT, [out], b.scales),
        tensor(`${bn}_zero_point`, ONNX_INT32, [out], new Int32Array(out)),
      );
      weightNodes.push(node("DequantizeLinear", [`${bn}_quantized`, `${bn}_scale`, `${bn}_zero_point`], `${bn}_dequantized`, `${bn}_dq_node`, 0));
      removedInits.add(bn);
      m.set(bn, `${bn}_dequantized`);
    }
    rename.set(c, m);
  }

  const nodes: NodeObj[] = [...weightNodes];
  for (const inp of g.input) nodes.push(...(pairsAfter.get(inp.name) ?? []));
  for (const n of g.node) {
    if (dropped.has(n)) continue;
    const m = rename.get(n);
    nodes.push(m ? { ...n, input: n.input.map((i) => m.get(i) ?? i) } : n);
    for (const o of n.output) nodes.push(...(pairsAfter.get(o) ?? []));
  }
  const graph: GraphObj = {
    ...g,
    node: nodes,
    initializer: [...g.initializer.filter((t) => !removedInits.has(t.name)), ...added],
  };
  return {
    model: { ...model, graph },
    summary: { convs: plan.convs.length, points: plan.points.length, droppedRelus: dropped.size, weightBytes: { float: floatBytes, int8: int8Bytes } },
  };
}
