import { describe, expect, it } from "vitest";
import type { Tensor } from "../checkpoint/tensor-data";
import { ModelError } from "@/lib/inference/errors";
import { randomDenseNet } from "./random-weights";
import { densenetFromTensors, type BatchNormWeights, type DenseNetConfig, type DenseNetWeights } from "./weights";

// The architecture reader on state_dicts written from known weights: block sizes, widths and class
// count come from the tensors, old torchvision layer names are accepted, inconsistencies are refused.

function stateDict(w: DenseNetWeights): Map<string, Tensor> {
  const sd = new Map<string, Tensor>();
  const put = (name: string, shape: number[], data: Float32Array) => sd.set(name, { dtype: "float32", shape, data });
  const bn = (p: string, b: BatchNormWeights) => {
    const c = [b.weight.length];
    put(`${p}.weight`, c, b.weight);
    put(`${p}.bias`, c, b.bias);
    put(`${p}.running_mean`, c, b.mean);
    put(`${p}.running_var`, c, b.variance);
  };
  put("features.conv0.weight", w.conv0.shape, w.conv0.weight);
  bn("features.norm0", w.norm0);
  w.blocks.forEach((block, bi) => {
    block.layers.forEach((l, li) => {
      const p = `features.denseblock${bi + 1}.denselayer${li + 1}`;
      bn(`${p}.norm1`, l.norm1);
      put(`${p}.conv1.weight`, l.conv1.shape, l.conv1.weight);
      bn(`${p}.norm2`, l.norm2);
      put(`${p}.conv2.weight`, l.conv2.shape, l.conv2.weight);
    });
    if (block.transition) {
      bn(`features.transition${bi + 1}.norm`, block.transition.norm);
      put(`features.transition${bi + 1}.conv.weight`, block.transition.conv.shape, block.transition.conv.weight);
    }
  });
  bn("features.norm5", w.norm5);
  put("classifier.weight", [w.config.numClasses, w.config.numFeatures], w.classifier.weight);
  put("classifier.bias", [w.config.numClasses], w.classifier.bias);
  return sd;
}

// Three blocks: 16 + 3*8 = 40 -> transition 20; 20 + 2*8 = 36 -> 18; 18 + 4*8 = 50 features.
const SMALL: DenseNetConfig = { inChannels: 1, initFeatures: 16, growthRate: 8, bottleneck: 16, blocks: [3, 2, 4], numFeatures: 50, numClasses: 5 };

describe("densenetFromTensors", () => {
  it("reads the configuration from the weights", () => {
    const w = randomDenseNet(3, SMALL);
    const back = densenetFromTensors(stateDict(w));
    expect(back.config).toEqual(SMALL);
    expect(back.blocks[2].layers[3].conv2.weight).toEqual(w.blocks[2].layers[3].conv2.weight);
    expect(back.norm5.eps).toBe(1e-5);
  });

  it("accepts torchvision's old dense-layer names (norm.1, conv.2, ...)", () => {
    const sd = stateDict(randomDenseNet(1));
    const old = new Map([...sd].map(([k, v]) => [k.replace(/\.(norm|conv)([12])\./, ".$1.$2."), v]));
    expect([...old.keys()]).toContain("features.denseblock1.denselayer1.norm.1.weight");
    expect(densenetFromTensors(old).config.blocks).toEqual([6, 12, 24, 16]);
  });

  it("refuses missing tensors, wrong shapes and convolution biases with MODEL_ARCHITECTURE", () => {
    const sd = stateDict(randomDenseNet(1));
    const cases: [string, (m: Map<string, Tensor>) => void][] = [
      ["missing norm5", (m) => m.delete("features.norm5.running_var")],
      ["wrong classifier width", (m) => m.set("classifier.weight", { dtype: "float32", shape: [18, 1000], data: new Float32Array(18000) })],
      ["conv bias", (m) => m.set("features.conv0.bias", { dtype: "float32", shape: [64], data: new Float32Array(64) })],
      ["no dense blocks", (m) => [...m.keys()].filter((k) => k.includes("denseblock")).forEach((k) => m.delete(k))],
    ];
    for (const [what, damage] of cases) {
      const m = new Map(sd);
      damage(m);
      let err: unknown;
      try {
        densenetFromTensors(m);
      } catch (e) {
        err = e;
      }
      expect(err, what).toBeInstanceOf(ModelError);
      expect((err as ModelError).code, what).toBe("MODEL_ARCHITECTURE");
    }
  });
});
