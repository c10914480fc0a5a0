import { GraphBuilder } from "../onnx/graph-builder";
import type { BatchNormWeights, ConvWeights } from "./weights";

// The building blocks of the DenseNet graph (BatchNorm, convolution, ReLU, concatenation) in two
// modes. "inference" folds a BatchNorm into the convolution before it where that is exact, and keeps
// the others as BatchNormalization nodes. "calibrate" (for the seeded demo model) normalises with the
// batch's own statistics and exposes them as graph outputs `bn{i}_mean` / `bn{i}_var`.

export type EmitMode = "inference" | "calibrate";

export function foldBatchNorm(conv: ConvWeights, bn: BatchNormWeights): { weight: Float32Array; bias: Float32Array } {
  const [out] = conv.shape;
  const per = conv.weight.length / out;
  const weight = new Float32Array(conv.weight.length);
  const bias = new Float32Array(out);
  for (let o = 0; o < out; o++) {
    // float64 arithmetic, one rounding to float32 at the end
    const scale = bn.weight[o] / Math.sqrt(bn.variance[o] + bn.eps);
    for (let j = 0; j < per; j++) weight[o * per + j] = conv.weight[o * per + j] * scale;
    bias[o] = bn.bias[o] - bn.mean[o] * scale;
  }
  return { weight, bias };
}

export function sliceBatchNorm(bn: BatchNormWeights, from: number, to: number): BatchNormWeights {
  return {
    weight: bn.weight.slice(from, to),
    bias: bn.bias.slice(from, to),
    mean: bn.mean.slice(from, to),
    variance: bn.variance.slice(from, to),
    eps: bn.eps,
  };
}

/** Input channels [from, to) of a 1x1 convolution's weight [out, in, 1, 1]. */
export function sliceConvInputs(weight: Float32Array, out: number, inChannels: number, from: number, to: number): ConvWeights {
  const n = to - from;
  const sliced = new Float32Array(out * n);
  for (let o = 0; o < out; o++) sliced.set(weight.subarray(o * inChannels + from, o * inChannels + to), o * n);
  return { shape: [out, n, 1, 1], weight: sliced };
}

export class LayerEmitter {
  /** calibrate mode: the BatchNorms whose statistics are outputs, in output order. */
  readonly batchNorms: BatchNormWeights[] = [];
  readonly statOutputs: { name: string; dims: number[] }[] = [];

  constructor(
    readonly g: GraphBuilder,
    readonly mode: EmitMode,
  ) {}

  relu(x: string): string {
    return this.g.op("Relu", [x]);
  }

  concat(parts: string[], hint: string): string {
    return parts.length === 1 ? parts[0] : this.g.op("Concat", parts, { axis: { i: 1 } }, hint);
  }

  batchNorm(x: string, bn: BatchNormWeights, hint: string): string {
    const { g } = this;
    const c = bn.weight.length;
    if (this.mode === "inference") {
      return g.op(
        "BatchNormalization",
        [
          x,
          g.floatTensor(`${hint}.weight`, [c], bn.weight),
          g.floatTensor(`${hint}.bias`, [c], bn.bias),
          g.floatTensor(`${hint}.running_mean`, [c], bn.mean),
          g.floatTensor(`${hint}.running_var`, [c], bn.variance),
        ],
        { epsilon: { f: bn.eps } },
        hint,
      );
    }
    // Training-mode normalisation: y = (x - E[x]) / sqrt(Var[x] + eps) * gamma + beta over N, H, W.
    const i = this.batchNorms.push(bn) - 1;
    const axes = { axes: { ints: [0, 2, 3] }, keepdims: { i: 0 } };
    const mean = g.op("ReduceMean", [x], axes, `bn${i}_mean`);
    const shape = g.int64Tensor(`${hint}.stat_shape`, [1, c, 1, 1]);
    const centred = g.op("Sub", [x, g.op("Reshape", [mean, shape])]);
    const variance = g.op("ReduceMean", [g.op("Mul", [centred, centred])], axes, `bn${i}_var`);
    const eps = g.floatTensor(`${hint}.eps`, [1], Float32Array.of(bn.eps));
    const std = g.op("Sqrt", [g.op("Add", [g.op("Reshape", [variance, shape]), eps])]);
    const gamma = g.floatTensor(`${hint}.weight`, [1, c, 1, 1], bn.weight);
    const beta = g.floatTensor(`${hint}.bias`, [1, c, 1, 1], bn.bias);
    this.statOutputs.push({ name: mean, dims: [c] }, { name: variance, dims: [c] });
    return g.op("Add", [g.op("Mul", [g.op("Div", [centred, std]), gamma]), beta], {}, hint);
  }

  conv(x: string, c: ConvWeights, hint: string, stride = 1, pad = 0, bias?: Float32Array): string {
    const [, , kh, kw] = c.shape;
    const inputs = [x, this.g.floatTensor(`${hint}.weight`, c.shape, c.weight)];
    if (bias) inputs.push(this.g.floatTensor(`${hint}.bias`, [c.shape[0]], bias));
    return this.g.op(
      "Conv",
      inputs,
      { kernel_shape: { ints: [kh, kw] }, strides: { ints: [stride, stride] }, pads: { ints: [pad, pad, pad, pad] } },
      hint,
    );
  }

  /** A convolution followed by a BatchNorm: folded into one convolution in inference mode. */
  convBn(x: string, c: ConvWeights, bn: BatchNormWeights, hint: string, stride = 1, pad = 0): string {
    if (this.mode === "calibrate") return this.batchNorm(this.conv(x, c, hint, stride, pad), bn, `${hint}.bn`);
    const f = foldBatchNorm(c, bn);
    return this.conv(x, { shape: c.shape, weight: f.weight }, hint, stride, pad, f.bias);
  }
}
