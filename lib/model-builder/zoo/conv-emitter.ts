import type { GraphBuilder } from "../onnx/graph-builder";
import { foldBatchNorm } from "../densenet/layer-emitter";
import type { BatchNormWeights, ConvWeights } from "../densenet/weights";

// Convolutions for the release-zoo graphs (ResNet-50, PSPNet): every BatchNorm follows a convolution
// and is folded into it (exact in real arithmetic), dilation supported for PSPNet's dilated blocks.

export interface ConvOptions {
  stride?: number;
  pad?: number;
  dilation?: number;
}

export function conv(g: GraphBuilder, x: string, c: ConvWeights, hint: string, opts: ConvOptions = {}, bias?: Float32Array): string {
  const { stride = 1, pad = 0, dilation = 1 } = opts;
  const [, , kh, kw] = c.shape;
  const inputs = [x, g.floatTensor(`${hint}.weight`, c.shape, c.weight)];
  if (bias) inputs.push(g.floatTensor(`${hint}.bias`, [c.shape[0]], bias));
  return g.op(
    "Conv",
    inputs,
    {
      kernel_shape: { ints: [kh, kw] },
      strides: { ints: [stride, stride] },
      pads: { ints: [pad, pad, pad, pad] },
      dilations: { ints: [dilation, dilation] },
    },
    hint,
  );
}

export function convBn(g: GraphBuilder, x: string, c: ConvWeights, bn: BatchNormWeights, hint: string, opts: ConvOptions = {}): string {
  const f = foldBatchNorm(c, bn);
  return conv(g, x, { shape: c.shape, weight: f.weight }, hint, opts, f.bias);
}

export function relu(g: GraphBuilder, x: string): string {
  return g.op("Relu", [x]);
}

const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];

/**
 * The 3-channel ImageNet input of PSPNet and the view model, built inside the graph from the
 * 1-channel [-1024, 1024] tensor: (x + 1024) / 2048, then (v - mean) / std per channel, the broadcast
 * against [1,3,1,1] doing the repeat to 3 channels. The same four float32 operations as the reference
 * (torchvision's Normalize after the scaling), not one folded multiply-add, so the first convolution's
 * input equals the reference's bit for bit; a one-step difference there grows through a deep random
 * network. Done before the first convolution (not folded into it) because that convolution zero-pads
 * the normalised image, not the raw one.
 */
export function imagenetFromXrv(g: GraphBuilder, image: string): string {
  const shifted = g.op("Add", [image, g.floatTensor("imagenet.shift", [1], Float32Array.of(1024))], {}, "imagenet.shifted");
  const unit = g.op("Div", [shifted, g.floatTensor("imagenet.range", [1], Float32Array.of(2048))], {}, "imagenet.unit");
  const centred = g.op("Sub", [unit, g.floatTensor("imagenet.mean", [1, 3, 1, 1], Float32Array.from(IMAGENET_MEAN))], {}, "imagenet.centred");
  return g.op("Div", [centred, g.floatTensor("imagenet.std", [1, 3, 1, 1], Float32Array.from(IMAGENET_STD))], {}, "imagenet.input");
}
