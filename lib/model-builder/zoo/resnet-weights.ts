import type { Tensor } from "../checkpoint/tensor-data";
import type { BatchNormWeights, ConvWeights } from "../densenet/weights";
import { TensorReader } from "./tensor-reader";

// A torchvision ResNet with bottleneck blocks (ResNet-50/101/152) as plain arrays: the form of
// TorchXRayVision's resnet50-res512-all (1-channel conv1, 18 outputs) and of xinario's view model
// (3-channel conv1, 1000 outputs). Block counts come from the layer names, widths from the shapes.

export interface BottleneckWeights {
  conv1: ConvWeights;
  bn1: BatchNormWeights;
  conv2: ConvWeights;
  bn2: BatchNormWeights;
  conv3: ConvWeights;
  bn3: BatchNormWeights;
  downsample: { conv: ConvWeights; bn: BatchNormWeights } | null;
  /** torchvision puts a layer's stride on the 3x3 convolution of its first block (ResNet v1.5). */
  stride: number;
}

export interface ResNetConfig {
  inChannels: number;
  blocks: number[];
  numFeatures: number;
  numClasses: number;
}

export interface ResNetWeights {
  config: ResNetConfig;
  conv1: ConvWeights;
  bn1: BatchNormWeights;
  layers: BottleneckWeights[][];
  fc: { weight: Float32Array; bias: Float32Array };
}

export function isTorchvisionResNet(tensors: Map<string, Tensor>): boolean {
  return tensors.has("conv1.weight") && tensors.has("layer1.0.conv3.weight") && tensors.has("fc.weight");
}

export function resnetFromTensors(tensors: Map<string, Tensor>): ResNetWeights {
  const r = new TensorReader(tensors, "torchvision ResNet (bottleneck)");
  const conv1 = r.conv("conv1.weight", undefined, undefined, 7);
  const [stem, inChannels] = conv1.shape;
  const layers: BottleneckWeights[][] = [];
  const blocks: number[] = [];
  let channels = stem;
  for (let l = 1; r.has(`layer${l}.0.conv1.weight`); l++) {
    const layer: BottleneckWeights[] = [];
    for (let b = 0; r.has(`layer${l}.${b}.conv1.weight`); b++) {
      const p = `layer${l}.${b}`;
      const c1 = r.conv(`${p}.conv1.weight`, undefined, channels, 1);
      const mid = c1.shape[0];
      const c3 = r.conv(`${p}.conv3.weight`, undefined, mid, 1);
      const out = c3.shape[0];
      const hasDown = r.has(`${p}.downsample.0.weight`);
      if (!hasDown && out !== channels) throw r.error(`${p} changes ${channels} to ${out} channels without a downsample`);
      layer.push({
        conv1: c1,
        bn1: r.bn(`${p}.bn1`, mid),
        conv2: r.conv(`${p}.conv2.weight`, mid, mid, 3),
        bn2: r.bn(`${p}.bn2`, mid),
        conv3: c3,
        bn3: r.bn(`${p}.bn3`, out),
        downsample: hasDown ? { conv: r.conv(`${p}.downsample.0.weight`, out, channels, 1), bn: r.bn(`${p}.downsample.1`, out) } : null,
        stride: l > 1 && b === 0 ? 2 : 1,
      });
      channels = out;
    }
    layers.push(layer);
    blocks.push(layer.length);
  }
  if (layers.length === 0) throw r.error("no layer1 blocks");
  const fcW = r.get("fc.weight");
  if (fcW.shape.length !== 2 || fcW.shape[1] !== channels) throw r.error(`fc.weight has shape [${fcW.shape}], expected [classes, ${channels}]`);
  const numClasses = fcW.shape[0];
  return {
    config: { inChannels, blocks, numFeatures: channels, numClasses },
    conv1,
    bn1: r.bn("bn1", stem),
    layers,
    fc: { weight: fcW.data, bias: r.get("fc.bias", [numClasses]).data },
  };
}

/** The first `n` outputs of the final linear layer (the view model keeps 2 of torchvision's 1000). */
export function keepOutputs(w: ResNetWeights, n: number): ResNetWeights {
  const { numFeatures } = w.config;
  return {
    ...w,
    config: { ...w.config, numClasses: n },
    fc: { weight: w.fc.weight.slice(0, n * numFeatures), bias: w.fc.bias.slice(0, n) },
  };
}
