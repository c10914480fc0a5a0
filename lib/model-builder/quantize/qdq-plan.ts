import { consumers, producers, type GraphObj, type NodeObj } from "./onnx-model";

// Where the quantized graph reads 8-bit values. onnxruntime turns DequantizeLinear -> Conv ->
// QuantizeLinear (int8 weights and an int32 bias behind their own DequantizeLinear) into one int8
// convolution (QLinearConv, VNNI kernels on this CPU), so every quantized convolution needs its input
// AND its output quantized. A ReLU between two quantized values is dropped: quantizing with zero point
// 0 (uint8) clamps negatives to 0, which is the ReLU (what onnxruntime's own Relu+QuantizeLinear fusion
// does). What stays float32:
//  - the first convolution, whose input is the image itself (12-bit films would lose precision in 8
//    bits; it is ~1% of the arithmetic);
//  - the head (classifier and class-activation-map convolution, graph outputs): a few thousand
//    multiply-adds, kept exact so that mean(cam) + bias == logits holds as in the float model — the
//    heatmaps come from the same quantized run's last features as the scores;
//  - BatchNorm, concatenation, pooling and additions between convolutions (on dequantized values).

export interface QuantPoint {
  /** The float value fed to QuantizeLinear. */
  source: string;
  /** The value whose calibrated range sets scale and zero point. */
  range: string;
  /** The value name that the quantized form replaces for its readers. */
  replaces: string;
  /** A ReLU made redundant by a zero point of 0 (removed from the graph). */
  dropRelu: NodeObj | null;
}

export interface QdqPlan {
  convs: NodeObj[];
  points: QuantPoint[];
  /** Values whose range calibration must measure. */
  calibrate: string[];
  skipped: { node: string; why: string }[];
}

/** `keepFloat`: convolutions (by node name) left float32, e.g. the layers an agreement check finds sensitive. */
export function planQdq(graph: GraphObj, keepFloat: (nodeName: string) => boolean = () => false): QdqPlan {
  const inputs = new Set(graph.input.map((i) => i.name));
  const initializers = new Set(graph.initializer.map((t) => t.name));
  const outputs = new Set(graph.output.map((o) => o.name));
  const readers = consumers(graph);
  const made = producers(graph);

  const isHead = (n: NodeObj) => {
    const out = n.output[0];
    return outputs.has(out) || (readers.get(out) ?? []).some((c) => c.opType === "Identity" && outputs.has(c.output[0]));
  };
  const convs: NodeObj[] = [];
  const skipped: QdqPlan["skipped"] = [];
  for (const n of graph.node) {
    if (n.opType !== "Conv") continue;
    if (!initializers.has(n.input[1])) skipped.push({ node: n.name, why: "weight is not a constant" });
    else if (inputs.has(n.input[0])) skipped.push({ node: n.name, why: "reads the image (kept float32)" });
    else if (isHead(n)) skipped.push({ node: n.name, why: "head (graph output, kept float32)" });
    else if (keepFloat(n.name)) skipped.push({ node: n.name, why: "kept float32 for agreement with the float32 model" });
    else convs.push(n);
  }
  const isQconv = new Set(convs);
  const need = new Set<string>();
  for (const c of convs) need.add(c.input[0]).add(c.output[0]);

  const points: QuantPoint[] = [];
  const covered = new Set<string>();
  // A ReLU whose every reader is a quantized convolution, and whose input is read by it alone.
  for (const v of need) {
    const relu = made.get(v);
    if (!relu || relu.opType !== "Relu") continue;
    const readersOk = (readers.get(v) ?? []).every((r) => isQconv.has(r) && r.input[0] === v && !r.input.slice(1).includes(v));
    const src = relu.input[0];
    const sole = (readers.get(src) ?? []).length === 1;
    if (!readersOk || !sole || outputs.has(v) || inputs.has(src)) continue;
    points.push({ source: src, range: v, replaces: v, dropRelu: relu });
    covered.add(v).add(src);
  }
  for (const v of need) {
    if (covered.has(v)) continue;
    points.push({ source: v, range: v, replaces: v, dropRelu: null });
    covered.add(v);
  }
  return { convs, points, calibrate: [...new Set(points.map((p) => p.range))], skipped };
}
