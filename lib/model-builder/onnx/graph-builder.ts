import { ATTR, ModelProto, ONNX_FLOAT, ONNX_INT64 } from "./onnx-schema";

// A small writer for ONNX graphs: named initializers, nodes with typed attributes, graph inputs and
// outputs (a string dimension is symbolic, e.g. the batch size), serialised with protobufjs.

export type Attr = { i: number } | { f: number } | { ints: number[] } | { floats: number[] } | { s: string };
export type Dim = number | string;

interface NodeSpec {
  opType: string;
  name: string;
  input: string[];
  output: string[];
  attribute: Record<string, unknown>[];
}

function encodeAttr(name: string, a: Attr): Record<string, unknown> {
  if ("i" in a) return { name, type: ATTR.INT, i: a.i };
  if ("f" in a) return { name, type: ATTR.FLOAT, f: a.f };
  if ("ints" in a) return { name, type: ATTR.INTS, ints: a.ints };
  if ("floats" in a) return { name, type: ATTR.FLOATS, floats: a.floats };
  return { name, type: ATTR.STRING, s: new TextEncoder().encode(a.s) };
}

function valueInfo(name: string, elemType: number, dims: Dim[]) {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export class GraphBuilder {
  private readonly nodes: NodeSpec[] = [];
  private readonly initializers: Record<string, unknown>[] = [];
  private readonly inputs: ReturnType<typeof valueInfo>[] = [];
  private readonly outputs: ReturnType<typeof valueInfo>[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  /** A fresh value name; hints keep the graph readable in Netron. */
  fresh(hint: string): string {
    let name = hint;
    while (this.names.has(name)) name = `${hint}_${++this.counter}`;
    this.names.add(name);
    return name;
  }

  floatTensor(hint: string, dims: number[], data: Float32Array): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length) throw new Error(`initializer ${hint}: ${data.length} values for shape [${dims}]`);
    const name = this.fresh(hint);
    const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    this.initializers.push({ name, dims, dataType: ONNX_FLOAT, rawData: raw });
    return name;
  }

  int64Tensor(hint: string, values: number[]): string {
    const name = this.fresh(hint);
    const raw = new Uint8Array(new BigInt64Array(values.map((v) => BigInt(v))).buffer);
    this.initializers.push({ name, dims: [values.length], dataType: ONNX_INT64, rawData: raw });
    return name;
  }

  node(opType: string, input: string[], attrs: Record<string, Attr> = {}, outputHint = opType.toLowerCase(), outputs = 1): string[] {
    const output = Array.from({ length: outputs }, (_, i) => this.fresh(outputs === 1 ? outputHint : `${outputHint}_${i}`));
    this.nodes.push({
      opType,
      name: this.fresh(`${outputHint}_node`),
      input: [...input],
      output,
      attribute: Object.entries(attrs).map(([k, v]) => encodeAttr(k, v)),
    });
    return output;
  }

  /** Single-output node; returns the output name. */
  op(opType: string, input: string[], attrs: Record<string, Attr> = {}, outputHint?: string): string {
    return this.node(opType, input, attrs, outputHint)[0];
  }

  input(name: string, dims: Dim[]): string {
    this.names.add(name);
    this.inputs.push(valueInfo(name, ONNX_FLOAT, dims));
    return name;
  }

  /** Declare `value` as graph output `name` (through an Identity when the names differ). */
  output(value: string, name: string, dims: Dim[]): void {
    if (value !== name && this.node("Identity", [value], {}, name)[0] !== name) {
      throw new Error(`internal error: graph output name ${name} is already taken`);
    }
    this.outputs.push(valueInfo(name, ONNX_FLOAT, dims));
  }

  encode(opts: { graphName: string; opset: number; irVersion: number; producer: string; metadata?: Record<string, string>; doc?: string }): Uint8Array {
    const model = {
      irVersion: opts.irVersion,
      opsetImport: [{ domain: "", version: opts.opset }],
      producerName: opts.producer,
      producerVersion: "1",
      docString: opts.doc ?? "",
      graph: {
        name: opts.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
      metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
    };
    const err = ModelProto.verify(model);
    if (err) throw new Error(`internal error: ONNX model does not verify: ${err}`);
    return ModelProto.encode(ModelProto.fromObject(model)).finish();
  }
}
