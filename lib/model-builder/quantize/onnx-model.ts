import { ModelProto, ONNX_FLOAT } from "../onnx/onnx-schema";

// A decoded ONNX model as plain objects, with the few look-ups the quantizer needs. It reads back the
// graphs this project writes (lib/model-builder/onnx), whose schema subset it shares.

export interface TensorObj {
  name: string;
  dims: number[];
  dataType: number;
  rawData: Uint8Array;
}
export interface AttrObj {
  name: string;
  type: number;
  i?: number;
  f?: number;
  ints?: number[];
  floats?: number[];
  s?: Uint8Array;
}
export interface NodeObj {
  name: string;
  opType: string;
  input: string[];
  output: string[];
  attribute?: AttrObj[];
  domain?: string;
}
export interface ValueInfoObj {
  name: string;
  type?: unknown;
}
export interface GraphObj {
  name: string;
  node: NodeObj[];
  initializer: TensorObj[];
  input: ValueInfoObj[];
  output: ValueInfoObj[];
  valueInfo?: ValueInfoObj[];
  docString?: string;
}
export interface ModelObj {
  irVersion: number;
  opsetImport: { domain?: string; version: number }[];
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  graph: GraphObj;
  metadataProps?: { key: string; value: string }[];
}

export function decodeModel(bytes: Uint8Array): ModelObj {
  const msg = ModelProto.decode(bytes);
  const obj = ModelProto.toObject(msg, { longs: Number, arrays: true, defaults: false }) as ModelObj;
  for (const t of obj.graph.initializer) t.dims ??= [];
  for (const n of obj.graph.node) n.input ??= [];
  return obj;
}

export function encodeModel(model: ModelObj): Uint8Array {
  const err = ModelProto.verify(model);
  if (err) throw new Error(`internal error: quantized ONNX model does not verify: ${err}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

export function floatData(t: TensorObj): Float32Array {
  if (t.dataType !== ONNX_FLOAT) throw new Error(`initializer ${t.name} is not float32`);
  // A copy: decoded bytes are views into the file's buffer at any offset (Buffer.slice would not copy).
  const copy = Uint8Array.from(t.rawData);
  return new Float32Array(copy.buffer);
}

export function rawBytes(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
}

/** Nodes reading each value name. */
export function consumers(graph: GraphObj): Map<string, NodeObj[]> {
  const map = new Map<string, NodeObj[]>();
  for (const n of graph.node) {
    for (const i of n.input) {
      if (!i) continue;
      const list = map.get(i) ?? [];
      list.push(n);
      map.set(i, list);
    }
  }
  return map;
}

export function producers(graph: GraphObj): Map<string, NodeObj> {
  const map = new Map<string, NodeObj>();
  for (const n of graph.node) for (const o of n.output) map.set(o, n);
  return map;
}

/** A float tensor graph output of unspecified shape (what calibration adds to read an intermediate value). */
export function floatOutput(name: string): ValueInfoObj {
  return { name, type: { tensorType: { elemType: ONNX_FLOAT } } };
}
