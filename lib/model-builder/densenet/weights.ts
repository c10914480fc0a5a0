import { ModelError } from "@/lib/inference/errors";
import type { ModuleInfo } from "../checkpoint/state-dict";
import type { Tensor } from "../checkpoint/tensor-data";

// The TorchXRayVision DenseNet as plain arrays, with its shape read from the weights rather than
// assumed: block sizes from the denselayer names, growth and bottleneck widths from the conv shapes.
// Anything inconsistent is rejected here, before a graph is built.

export interface BatchNormWeights {
  weight: Float32Array;
  bias: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
  eps: number;
}

export interface ConvWeights {
  /** [out, in, kh, kw] */
  shape: [number, number, number, number];
  weight: Float32Array;
}

export interface DenseLayerWeights {
  norm1: BatchNormWeights;
  conv1: ConvWeights;
  norm2: BatchNormWeights;
  conv2: ConvWeights;
}

export interface DenseNetConfig {
  inChannels: number;
  initFeatures: number;
  growthRate: number;
  bottleneck: number;
  blocks: number[];
  numFeatures: number;
  numClasses: number;
}

export interface DenseNetWeights {
  config: DenseNetConfig;
  conv0: ConvWeights;
  norm0: BatchNormWeights;
  blocks: { layers: DenseLayerWeights[]; transition: { norm: BatchNormWeights; conv: ConvWeights } | null }[];
  norm5: BatchNormWeights;
  classifier: { weight: Float32Array; bias: Float32Array };
}

const DEFAULT_EPS = 1e-5;

function archError(message: string): ModelError {
  return new ModelError("MODEL_ARCHITECTURE", `not a TorchXRayVision DenseNet checkpoint: ${message}`);
}

// torchvision < 0.3 named dense-layer parts "norm.1", "conv.2", ...; later code (and TorchXRayVision)
// uses "norm1", "conv2". Accept both.
const OLD_LAYER_NAME = /(denselayer\d+\.(?:norm|relu|conv))\.([12])(?=\.|$)/;

function normaliseNames<T>(map: Map<string, T>): Map<string, T> {
  return new Map([...map].map(([k, v]) => [k.replace(OLD_LAYER_NAME, "$1$2"), v]));
}

export function densenetFromTensors(rawTensors: Map<string, Tensor>, rawModules: Map<string, ModuleInfo> = new Map()): DenseNetWeights {
  const tensors = normaliseNames(rawTensors);
  const modules = normaliseNames(rawModules);
  const get = (name: string, shape?: number[]): Tensor => {
    const t = tensors.get(name);
    if (!t) throw archError(`tensor "${name}" is missing`);
    if (shape && (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))) {
      throw archError(`tensor "${name}" has shape [${t.shape}] where [${shape}] was expected`);
    }
    return t;
  };
  const conv = (prefix: string, out: number, inCh: number, k: number): ConvWeights => {
    const t = get(`${prefix}.weight`, [out, inCh, k, k]);
    if (tensors.has(`${prefix}.bias`)) throw archError(`${prefix} has a bias, the DenseNet convolutions have none`);
    return { shape: [out, inCh, k, k], weight: t.data };
  };
  const bn = (prefix: string, channels: number): BatchNormWeights => {
    const eps = modules.get(prefix)?.attrs.eps;
    return {
      weight: get(`${prefix}.weight`, [channels]).data,
      bias: get(`${prefix}.bias`, [channels]).data,
      mean: get(`${prefix}.running_mean`, [channels]).data,
      variance: get(`${prefix}.running_var`, [channels]).data,
      eps: typeof eps === "number" && eps > 0 ? eps : DEFAULT_EPS,
    };
  };

  const conv0 = get("features.conv0.weight");
  if (conv0.shape.length !== 4 || conv0.shape[2] !== 7 || conv0.shape[3] !== 7) throw archError("features.conv0 is not a 7x7 convolution");
  const [initFeatures, inChannels] = conv0.shape;

  const blocks: number[] = [];
  for (let b = 1; tensors.has(`features.denseblock${b}.denselayer1.conv1.weight`); b++) {
    let n = 0;
    while (tensors.has(`features.denseblock${b}.denselayer${n + 1}.conv1.weight`)) n++;
    blocks.push(n);
  }
  if (blocks.length === 0) throw archError("no features.denseblock1 layers");
  const first = get("features.denseblock1.denselayer1.conv2.weight");
  const [growthRate, bottleneck] = first.shape;

  const w: Omit<DenseNetWeights, "norm5" | "classifier" | "config"> = {
    conv0: conv("features.conv0", initFeatures, inChannels, 7),
    norm0: bn("features.norm0", initFeatures),
    blocks: [],
  };
  let channels = initFeatures;
  blocks.forEach((count, bi) => {
    const layers: DenseLayerWeights[] = [];
    for (let l = 1; l <= count; l++) {
      const p = `features.denseblock${bi + 1}.denselayer${l}`;
      layers.push({
        norm1: bn(`${p}.norm1`, channels),
        conv1: conv(`${p}.conv1`, bottleneck, channels, 1),
        norm2: bn(`${p}.norm2`, bottleneck),
        conv2: conv(`${p}.conv2`, growthRate, bottleneck, 3),
      });
      channels += growthRate;
    }
    let transition: DenseNetWeights["blocks"][number]["transition"] = null;
    if (bi < blocks.length - 1) {
      const p = `features.transition${bi + 1}`;
      const out = get(`${p}.conv.weight`).shape[0];
      transition = { norm: bn(`${p}.norm`, channels), conv: conv(`${p}.conv`, out, channels, 1) };
      channels = out;
    }
    w.blocks.push({ layers, transition });
  });
  const norm5 = bn("features.norm5", channels);
  const cls = get("classifier.weight");
  if (cls.shape.length !== 2 || cls.shape[1] !== channels) {
    throw archError(`classifier.weight has shape [${cls.shape}], expected [classes, ${channels}]`);
  }
  const numClasses = cls.shape[0];
  const classifier = { weight: cls.data, bias: get("classifier.bias", [numClasses]).data };
  return {
    ...w,
    norm5,
    classifier,
    config: { inChannels, initFeatures, growthRate, bottleneck, blocks, numFeatures: channels, numClasses },
  };
}
