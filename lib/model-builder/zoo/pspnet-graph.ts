import { GraphBuilder } from "../onnx/graph-builder";
import { IR_VERSION, OPSET } from "../densenet/build-graph";
import { conv, convBn, imagenetFromXrv, relu } from "./conv-emitter";
import type { PspNetWeights } from "./pspnet-weights";

// The ONNX graph of the chestx_det PSPNet's inference pass. Input `image` [N, 1, S, S] on the
// [-1024, 1024] scale (S = 512; TorchXRayVision's own 512 resize is the identity there), repeated to
// 3 channels and ImageNet-normalised in the graph. Output `logits` [N, targets, S, S]: the classifier's
// map at S/8, bilinearly upsampled to S (align_corners=False, ONNX half_pixel). Masks are logits > 0.
//
// Pyramid pooling as ptsemseg computes it: average pooling with kernel = stride = floor(h / n) on the
// h x h map, a 1x1 conv-BN-ReLU per path, bilinear upsampling back to h x h, concatenated after the map.

export function buildPspNetGraph(w: PspNetWeights, opts: { inputSize: number; metadata?: Record<string, string> }): Uint8Array {
  const g = new GraphBuilder();
  const size = opts.inputSize;
  if (size % 8 !== 0) throw new Error(`PSPNet input size must be a multiple of 8, not ${size}`);
  const image = g.input("image", ["N", 1, size, size]);
  let x = imagenetFromXrv(g, image);
  w.stem.forEach((s, i) => {
    x = relu(g, convBn(g, x, s.conv, s.bn, `convbnrelu1_${i + 1}`, { stride: i === 0 ? 2 : 1, pad: 1 }));
  });
  x = g.op("MaxPool", [x], { kernel_shape: { ints: [3, 3] }, strides: { ints: [2, 2] }, pads: { ints: [1, 1, 1, 1] } }, "maxpool");
  w.stages.forEach((stage, si) => {
    stage.forEach((b, bi) => {
      const p = `res_block${si + 2}.${bi}`;
      let y = relu(g, convBn(g, x, b.cbr1.conv, b.cbr1.bn, `${p}.cbr1`));
      y = relu(g, convBn(g, y, b.cbr2.conv, b.cbr2.bn, `${p}.cbr2`, { stride: b.stride, pad: b.dilation, dilation: b.dilation }));
      y = convBn(g, y, b.cb3.conv, b.cb3.bn, `${p}.cb3`);
      const shortcut = b.cb4 ? convBn(g, x, b.cb4.conv, b.cb4.bn, `${p}.cb4`, { stride: b.stride }) : x;
      x = relu(g, g.op("Add", [y, shortcut], {}, `${p}.sum`));
    });
  });

  const fm = size / 8;
  const fmSize = g.int64Tensor("pyramid.size", [fm, fm]);
  const noRoi = ""; // Resize's optional roi and scales inputs are left empty
  const slices = [x];
  w.config.poolSizes.forEach((n, i) => {
    const k = Math.floor(fm / n);
    const pooled = g.op("AveragePool", [x], { kernel_shape: { ints: [k, k] }, strides: { ints: [k, k] } }, `pyramid.${i}.pool`);
    const p = w.pyramid[i];
    const y = relu(g, convBn(g, pooled, p.conv, p.bn, `pyramid.${i}.conv`));
    slices.push(bilinear(g, y, noRoi, fmSize, `pyramid.${i}.up`));
  });
  x = g.op("Concat", slices, { axis: { i: 1 } }, "pyramid");
  x = relu(g, convBn(g, x, w.final.conv, w.final.bn, "cbr_final", { pad: 1 }));
  x = conv(g, x, w.classification.weight, "classification", {}, w.classification.bias);
  const numClasses = w.config.numClasses;
  const outSize = g.int64Tensor("output.size", [size, size]);
  const logits = bilinear(g, x, noRoi, outSize, "logits");
  g.output(logits, "logits", ["N", numClasses, size, size]);
  return g.encode({ graphName: "chestx_det_pspnet", opset: OPSET, irVersion: IR_VERSION, producer: "cxr-platform", metadata: opts.metadata });
}

/** torch's bilinear interpolate with align_corners=False to a fixed height and width (`hw`, int64 [2]). */
function bilinear(g: GraphBuilder, x: string, roi: string, hw: string, hint: string): string {
  // Resize's `sizes` names every axis: batch and channels are taken from the input's own shape.
  const shape = g.op("Shape", [x], {}, `${hint}.in_shape`);
  const nc = g.op("Slice", [shape, g.int64Tensor(`${hint}.s0`, [0]), g.int64Tensor(`${hint}.s1`, [2])], {}, `${hint}.nc`);
  const sizes = g.op("Concat", [nc, hw], { axis: { i: 0 } }, `${hint}.sizes`);
  return g.op("Resize", [x, roi, "", sizes], { mode: { s: "linear" }, coordinate_transformation_mode: { s: "half_pixel" } }, hint);
}
