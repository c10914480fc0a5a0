import { GraphBuilder } from "../onnx/graph-builder";
import { emitDenseBlock } from "./dense-block";
import { LayerEmitter, type EmitMode } from "./layer-emitter";
import type { BatchNormWeights, DenseNetWeights } from "./weights";

// The ONNX graph of TorchXRayVision's DenseNet forward pass, input `image` [N, 1, 224, 224] on the
// [-1024, 1024] scale, dynamic batch:
//   features = denseblocks(...)(image); f = relu(features)
//   logits [N, classes]       = W · avgpool(f) + b
//   cam    [N, classes, 7, 7] = W · f (per pixel, no bias), so mean(cam[c]) + b[c] = logits[c]
//
// Rewrites for speed, exact in real arithmetic (float32 results move by ~1e-6 relative):
//  - BatchNorm folded into the convolution before it: conv0->norm0 and every conv1->norm2;
//  - transition: the 2x2 average pool runs before the 1x1 convolution (both linear, on different axes),
//    so that convolution sees a quarter of the pixels;
//  - dense blocks avoid re-concatenating every earlier output in every layer (see dense-block.ts).
// The remaining BatchNorms (after a concatenation, before a ReLU) stay BatchNormalization nodes, which
// onnxruntime runs as a per-channel affine fused with the ReLU.

export const OPSET = 17;
export const IR_VERSION = 8;

export interface BuildOptions {
  /** "calibrate": BatchNorm on batch statistics, exposed as outputs (for the seeded demo model). */
  mode?: EmitMode;
  inputSize?: number;
  metadata?: Record<string, string>;
  /**
   * Write the network literally, as a plain PyTorch export would (BatchNorm folding only, no
   * concatenation regrouping, pool after the transition convolution). Only for benchmark comparisons.
   */
  literal?: boolean;
}

export interface BuiltGraph {
  onnx: Uint8Array;
  /** calibrate mode: BatchNorms in the order of outputs `bn{i}_mean` / `bn{i}_var`. */
  batchNorms: BatchNormWeights[];
}

export function buildDenseNetGraph(w: DenseNetWeights, opts: BuildOptions = {}): BuiltGraph {
  const mode = opts.mode ?? "inference";
  const size = opts.inputSize ?? 224;
  const g = new GraphBuilder();
  const e = new LayerEmitter(g, mode);
  const { numClasses, numFeatures, inChannels, growthRate } = w.config;

  const image = g.input("image", ["N", inChannels, size, size]);
  let x = e.relu(e.convBn(image, w.conv0, w.norm0, "features.conv0", 2, 3));
  x = g.op("MaxPool", [x], { kernel_shape: { ints: [3, 3] }, strides: { ints: [2, 2] }, pads: { ints: [1, 1, 1, 1] } }, "features.pool0");

  w.blocks.forEach((block, bi) => {
    x = emitDenseBlock(e, x, block, `features.denseblock${bi + 1}`, growthRate, opts.literal ? Number.POSITIVE_INFINITY : undefined);
    if (block.transition) {
      const p = `features.transition${bi + 1}`;
      const h = e.relu(e.batchNorm(x, block.transition.norm, `${p}.norm`));
      const pool = (v: string) => g.op("AveragePool", [v], { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] } }, `${p}.pool`);
      x = opts.literal ? pool(e.conv(h, block.transition.conv, `${p}.conv`)) : e.conv(pool(h), block.transition.conv, `${p}.conv`);
    }
  });
  const features = e.relu(e.batchNorm(x, w.norm5, "features.norm5"));
  const pooled = g.op("Flatten", [g.op("GlobalAveragePool", [features])], { axis: { i: 1 } }, "pooled");

  if (mode === "calibrate") {
    g.output(pooled, "pooled", ["N", numFeatures]);
    for (const s of e.statOutputs) g.output(s.name, s.name, s.dims);
  } else {
    const clsWeight = g.floatTensor("classifier.weight", [numClasses, numFeatures], w.classifier.weight);
    const clsBias = g.floatTensor("classifier.bias", [numClasses], w.classifier.bias);
    const logits = g.op("Gemm", [pooled, clsWeight, clsBias], { transB: { i: 1 } }, "logits");
    const cam = e.conv(features, { shape: [numClasses, numFeatures, 1, 1], weight: w.classifier.weight }, "cam");
    // conv0 and pool0 halve the image twice, each transition once more: 224 -> 7 with four blocks.
    const fm = size / (4 * 2 ** (w.blocks.length - 1));
    g.output(logits, "logits", ["N", numClasses]);
    g.output(cam, "cam", ["N", numClasses, fm, fm]);
  }

  const onnx = g.encode({ graphName: "torchxrayvision_densenet", opset: OPSET, irVersion: IR_VERSION, producer: "cxr-platform", metadata: opts.metadata });
  return { onnx, batchNorms: e.batchNorms };
}
