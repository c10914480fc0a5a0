import { GraphBuilder } from "../onnx/graph-builder";
import { IR_VERSION, OPSET } from "../densenet/build-graph";
import { conv, convBn, imagenetFromXrv, relu } from "./conv-emitter";
import type { ResNetWeights } from "./resnet-weights";

// The ONNX graph of a torchvision bottleneck ResNet, input `image` [N, 1, S, S] on the [-1024, 1024]
// scale (the same contract as the DenseNet), dynamic batch:
//  - "xrv" input (resnet50-res512-all): the tensor as is into a 1-channel conv1;
//  - "imagenet" input (xinario's view model): repeated to 3 channels and ImageNet-normalised in the graph.
// Outputs: `logits` [N, classes] = fc(avgpool(layer4)); with `cam`, also [N, classes, S/32, S/32] =
// fc.weight . layer4 per pixel (no bias), so mean(cam[c]) + bias[c] = logits[c], as for the DenseNet.

export interface ResNetGraphOptions {
  inputSize: number;
  input: "xrv" | "imagenet";
  cam: boolean;
  metadata?: Record<string, string>;
}

export function buildResNetGraph(w: ResNetWeights, opts: ResNetGraphOptions): Uint8Array {
  const g = new GraphBuilder();
  const { numClasses, numFeatures } = w.config;
  const size = opts.inputSize;
  const image = g.input("image", ["N", 1, size, size]);
  const first = opts.input === "imagenet" ? imagenetFromXrv(g, image) : image;
  if (opts.input === "xrv" && w.config.inChannels !== 1) throw new Error(`a ${w.config.inChannels}-channel ResNet cannot take the 1-channel tensor as is`);
  if (opts.input === "imagenet" && w.config.inChannels !== 3) throw new Error(`ImageNet input needs a 3-channel conv1, not ${w.config.inChannels}`);

  let x = relu(g, convBn(g, first, w.conv1, w.bn1, "conv1", { stride: 2, pad: 3 }));
  x = g.op("MaxPool", [x], { kernel_shape: { ints: [3, 3] }, strides: { ints: [2, 2] }, pads: { ints: [1, 1, 1, 1] } }, "maxpool");
  w.layers.forEach((layer, li) => {
    layer.forEach((b, bi) => {
      const p = `layer${li + 1}.${bi}`;
      let out = relu(g, convBn(g, x, b.conv1, b.bn1, `${p}.conv1`));
      out = relu(g, convBn(g, out, b.conv2, b.bn2, `${p}.conv2`, { stride: b.stride, pad: 1 }));
      out = convBn(g, out, b.conv3, b.bn3, `${p}.conv3`);
      const identity = b.downsample ? convBn(g, x, b.downsample.conv, b.downsample.bn, `${p}.downsample`, { stride: b.stride }) : x;
      x = relu(g, g.op("Add", [out, identity], {}, `${p}.sum`));
    });
  });
  const pooled = g.op("Flatten", [g.op("GlobalAveragePool", [x])], { axis: { i: 1 } }, "pooled");
  const fcW = g.floatTensor("fc.weight", [numClasses, numFeatures], w.fc.weight);
  const fcB = g.floatTensor("fc.bias", [numClasses], w.fc.bias);
  g.output(g.op("Gemm", [pooled, fcW, fcB], { transB: { i: 1 } }, "logits"), "logits", ["N", numClasses]);
  if (opts.cam) {
    const fm = size / 32;
    const cam = conv(g, x, { shape: [numClasses, numFeatures, 1, 1], weight: w.fc.weight }, "cam");
    g.output(cam, "cam", ["N", numClasses, fm, fm]);
  }
  return g.encode({ graphName: "torchvision_resnet", opset: OPSET, irVersion: IR_VERSION, producer: "cxr-platform", metadata: opts.metadata });
}
