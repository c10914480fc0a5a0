import type { BatchNormWeights, ConvWeights, DenseNetConfig, DenseNetWeights } from "./weights";

// Seeded random DenseNet weights for the offline demo model: the same initialisation torchvision uses
// (Kaiming-normal convolutions, BatchNorm gamma 1 / beta 0). Running statistics start neutral and are
// calibrated afterwards on sample images (see demo-model.ts).

export const DENSENET121: DenseNetConfig = {
  inChannels: 1,
  initFeatures: 64,
  growthRate: 32,
  bottleneck: 128,
  blocks: [6, 12, 24, 16],
  numFeatures: 1024,
  numClasses: 18,
};

/** mulberry32: tiny, fast, and identical on every platform, which is all a demo needs. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededNormal(seed: number): () => number {
  const uniform = seededRandom(seed);
  return () => {
    // Box-Muller; 1 - u keeps log() away from 0.
    const u = 1 - uniform();
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

export function randomDenseNet(seed: number, config: DenseNetConfig = DENSENET121): DenseNetWeights {
  const normal = seededNormal(seed);
  const conv = (out: number, inCh: number, k: number): ConvWeights => {
    const std = Math.sqrt(2 / (inCh * k * k));
    const weight = new Float32Array(out * inCh * k * k);
    for (let i = 0; i < weight.length; i++) weight[i] = normal() * std;
    return { shape: [out, inCh, k, k], weight };
  };
  const bn = (c: number): BatchNormWeights => ({
    weight: new Float32Array(c).fill(1),
    bias: new Float32Array(c),
    mean: new Float32Array(c),
    variance: new Float32Array(c).fill(1),
    eps: 1e-5,
  });

  const { growthRate, bottleneck } = config;
  let channels = config.initFeatures;
  const blocks: DenseNetWeights["blocks"] = config.blocks.map((count, bi) => {
    const layers = Array.from({ length: count }, () => {
      const layer = {
        norm1: bn(channels),
        conv1: conv(bottleneck, channels, 1),
        norm2: bn(bottleneck),
        conv2: conv(growthRate, bottleneck, 3),
      };
      channels += growthRate;
      return layer;
    });
    let transition = null;
    if (bi < config.blocks.length - 1) {
      transition = { norm: bn(channels), conv: conv(channels / 2, channels, 1) };
      channels /= 2;
    }
    return { layers, transition };
  });
  if (channels !== config.numFeatures) throw new Error(`config mismatch: ${channels} features, expected ${config.numFeatures}`);

  const classifier = { weight: new Float32Array(config.numClasses * channels), bias: new Float32Array(config.numClasses) };
  for (let i = 0; i < classifier.weight.length; i++) classifier.weight[i] = normal() / Math.sqrt(channels);
  return {
    config,
    conv0: conv(config.initFeatures, config.inChannels, 7),
    norm0: bn(config.initFeatures),
    blocks,
    norm5: bn(channels),
    classifier,
  };
}

/**
 * Synthetic frontal-chest-like images on the [-1024, 1024] scale (body ellipse, two darker lung
 * fields, a brighter heart shadow, rib stripes, noise), varied per seed. Used only to calibrate the
 * demo model's BatchNorm statistics so activations are well scaled.
 */
export function syntheticChestImages(seed: number, count: number, size = 224): Float32Array {
  const rand = seededRandom(seed);
  const normal = seededNormal(seed + 1);
  const out = new Float32Array(count * size * size);
  for (let k = 0; k < count; k++) {
    const lungY = -0.05 + 0.1 * (rand() - 0.5);
    const lungRx = 0.22 + 0.06 * rand();
    const lungRy = 0.4 + 0.1 * rand();
    const body = 300 + 300 * rand();
    const lung = -600 + 300 * rand();
    const heartX = 0.05 + 0.1 * rand();
    const ribFreq = 14 + 6 * rand();
    for (let y = 0; y < size; y++) {
      const v = (2 * y) / (size - 1) - 1;
      for (let x = 0; x < size; x++) {
        const u = (2 * x) / (size - 1) - 1;
        let val = -950;
        if ((u / 0.85) ** 2 + (v / 1.05) ** 2 < 1) val = body;
        for (const cx of [-0.35, 0.35]) {
          const d = ((u - cx) / lungRx) ** 2 + ((v - lungY) / lungRy) ** 2;
          if (d < 1) val = lung + 120 * Math.sin(ribFreq * v + 2 * u * u) * (1 - d);
        }
        const h = ((u - heartX) / 0.25) ** 2 + ((v - 0.25) / 0.22) ** 2;
        if (h < 1) val = Math.max(val, body * 0.8);
        val += 25 * normal();
        out[k * size * size + y * size + x] = Math.max(-1024, Math.min(1024, val));
      }
    }
  }
  return out;
}
