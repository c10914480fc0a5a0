import { GraphBuilder } from "../onnx/graph-builder";
import type { BatchNormWeights, ConvWeights, DenseNetWeights } from "./weights";

// Builds the ONNX graph of TorchXRayVision's DenseNet forward pass:
//   features -> relu -> [cam = W·relu(features)] and [logits = W·avgpool(relu(features)) + b]
//
// Exact rewrites applied for speed (exact in real arithmetic; float32 rounding differs by ~1e-7 rel.):
//  - a BatchNorm right after a convolution (conv0->norm0, each dense layer's conv1->norm2) is folded
//    into that convolution's weights and bias;
//  - in transitions, the 2x2 average pool is moved before the 1x1 convolution (both are linear and
//    act on different axes), so that convolution runs on a quarter of the pixels.
// BatchNorms that follow a concatenation or precede a ReLU without a convolution before them stay
// BatchNormalization nodes (onnxruntime turns them into a per-channel affine).
//
// "calibrate" mode is for the seeded demo model: every BatchNorm normalises with the batch's own
// statistics and exposes them as outputs, so one run over sample images yields all running stats.

export const OPSET = 17;
export const IR_VERSION = 8;

export interface BuildOptions {
  mode?: "inference" | "calibrate";
  inputSize?: number;
  metadata?: Record<string, string>;
}

export interface BuiltGraph {
  onnx: Uint8Array;
  /** BatchNorms in the order their statistics appear as outputs `bn{i}_mean` / `bn{i}_var` (calibrate mode). */
  batchNorms: BatchNormWeights[];
}

function foldBatchNorm(conv: ConvWeights, bn: BatchNormWeights): { weight: Float32Array; bias: Float32Array } {
  const [out] = conv.shape;
  const per = conv.weight.length / out;
  const weight = new Float32Array(conv.weight.length);
  const bias = new Float32Array(out);
  for (let o = 0; o < out; o++) {
    const scale = bn.weight[o] / Math.sqrt(bn.variance[o] + bn.eps);
    for (let j = 0; j < per; j++) weight[o * per + j] = conv.weight[o * per + j] * scale;
    bias[o] = bn.bias[o] - bn.mean[o] * scale;
  }
  return { weight, bias };
}

export function buildDenseNetGraph(w: DenseNetWeights, opts: BuildOptions = {}): BuiltGraph {
  const mode = opts.mode ?? "inference";
  const size = opts.inputSize ?? 224;
  const g = new GraphBuilder();
  const batchNorms: BatchNormWeights[] = [];
  const statOutputs: { name: string; dims: (number | string)[] }[] = [];
  const axes = { axes: { ints: [0, 2, 3] }, keepdims: { i: 0 } };

  const batchNorm = (x: string, bn: BatchNormWeights, hint: string): string => {
    const c = bn.weight.length;
    if (mode === "inference") {
      return g.op("BatchNormalization", [
        x,
        g.floatTensor(`${hint}.weight`, [c], bn.weight),
        g.floatTensor(`${hint}.bias`, [c], bn.bias),
        g.floatTensor(`${hint}.running_mean`, [c], bn.mean),
        g.floatTensor(`${hint}.running_var`, [c], bn.variance),
      ], { epsilon: { f: bn.eps } }, hint);
    }
    // Training-mode normalisation: y = (x - E[x]) / sqrt(Var[x] + eps) * gamma + beta over N,H,W.
    const i = batchNorms.push(bn) - 1;
    const mean = g.op("ReduceMean", [x], axes, `bn${i}_mean`);
    const shape = g.int64Tensor(`${hint}.stat_shape`, [1, c, 1, 1]);
    const centred = g.op("Sub", [x, g.op("Reshape", [mean, shape])]);
    const variance = g.op("ReduceMean", [g.op("Mul", [centred, centred])], axes, `bn${i}_var`);
    const eps = g.floatTensor(`${hint}.eps`, [1], Float32Array.of(bn.eps));
    const std = g.op("Sqrt", [g.op("Add", [g.op("Reshape", [variance, shape]), eps])]);
    const gamma = g.floatTensor(`${hint}.weight`, [1, c, 1, 1], bn.weight);
    const beta = g.floatTensor(`${hint}.bias`, [1, c, 1, 1], bn.bias);
    statOutputs.push({ name: mean, dims: [c] }, { name: variance, dims: [c] });
    return g.op("Add", [g.op("Mul", [g.op("Div", [centred, std]), gamma]), beta], {}, hint);
  };

  const conv = (x: string, c: ConvWeights, hint: string, stride: number, pad: number, bias?: Float32Array, weight = c.weight) => {
    const [, , kh, kw] = c.shape;
    const inputs = [x, g.floatTensor(`${hint}.weight`, c.shape, weight)];
    if (bias) inputs.push(g.floatTensor(`${hint}.bias`, [c.shape[0]], bias));
    return g.op("Conv", inputs, {
      kernel_shape: { ints: [kh, kw] },
      strides: { ints: [stride, stride] },
      pads: { ints: [pad, pad, pad, pad] },
    }, hint);
  };

  // conv followed by BatchNorm: folded in inference mode, explicit in calibrate mode.
  const convBn = (x: string, c: ConvWeights, bn: BatchNormWeights, hint: string, stride: number, pad: number) => {
    if (mode === "inference") {
      const f = foldBatchNorm(c, bn);
      return conv(x, c, hint, stride, pad, f.bias, f.weight);
    }
    return batchNorm(conv(x, c, hint, stride, pad), bn, `${hint}.bn`);
  };
  const relu = (x: string) => g.op("Relu", [x]);

  const image = g.input("image", ["N", w.config.inChannels, size, size]);
  let x = relu(convBn(image, w.conv0, w.norm0, "features.conv0", 2, 3));
  x = g.op("MaxPool", [x], { kernel_shape: { ints: [3, 3] }, strides: { ints: [2, 2] }, pads: { ints: [1, 1, 1, 1] } }, "features.pool0");

  w.blocks.forEach((block, bi) => {
    const parts = [x];
    block.layers.forEach((layer, li) => {
      const p = `features.denseblock${bi + 1}.denselayer${li + 1}`;
      const input = parts.length === 1 ? parts[0] : g.op("Concat", parts, { axis: { i: 1 } }, `${p}.input`);
      let h = relu(batchNorm(input, layer.norm1, `${p}.norm1`));
      h = relu(convBn(h, layer.conv1, layer.norm2, `${p}.conv1`, 1, 0));
      parts.push(conv(h, layer.conv2, `${p}.conv2`, 1, 1));
    });
    x = g.op("Concat", parts, { axis: { i: 1 } }, `features.denseblock${bi + 1}`);
    if (block.transition) {
      const p = `features.transition${bi + 1}`;
      const h = relu(batchNorm(x, block.transition.norm, `${p}.norm`));
      const pooled = g.op("AveragePool", [h], { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] } }, `${p}.pool`);
      x = conv(pooled, block.transition.conv, `${p}.conv`, 1, 0);
    }
  });
  const features = relu(batchNorm(x, w.norm5, "features.norm5"));
  const { numClasses, numFeatures } = w.config;
  const pooled = g.op("Flatten", [g.op("GlobalAveragePool", [features])], { axis: { i: 1 } }, "pooled");

  if (mode === "calibrate") {
    g.output(pooled, "pooled", ["N", numFeatures]);
    for (const s of statOutputs) g.output(s.name, s.name, s.dims);
  } else {
    const clsWeight = g.floatTensor("classifier.weight", [numClasses, numFeatures], w.classifier.weight);
    const clsBias = g.floatTensor("classifier.bias", [numClasses], w.classifier.bias);
    const logits = g.op("Gemm", [pooled, clsWeight, clsBias], { transB: { i: 1 } }, "logits");
    // The same classifier weights as a 1x1 convolution over the feature map, without bias: the CAM.
    const camWeight = g.floatTensor("classifier.weight_map", [numClasses, numFeatures, 1, 1], w.classifier.weight);
    const cam = g.op("Conv", [features, camWeight], { kernel_shape: { ints: [1, 1] } }, "cam");
    const fm = size / (4 * 2 ** (w.blocks.length - 1));
    g.output(logits, "logits", ["N", numClasses]);
    g.output(cam, "cam", ["N", numClasses, fm, fm]);
  }

  const onnx = g.encode({
    graphName: "torchxrayvision_densenet",
    opset: OPSET,
    irVersion: IR_VERSION,
    producer: "cxr-platform",
    metadata: opts.metadata,
  });
  return { onnx, batchNorms };
}
