import "server-only";
import type { Tensor } from "../checkpoint/tensor-data";
import { seededNormal } from "../densenet/random-weights";
import { writePspNet, writeResNetClassifier, writeViewModel } from "./convert-zoo";
import { PSPNET_NAME, RESNET50_NAME, VIEW_NAME } from "./zoo-catalog";
import type { ModelManifest } from "@/lib/inference/manifest";
import type { ZooManifest } from "@/lib/inference/zoo-manifest";

// UNTRAINED demo models for the release zoo, so the anatomy and view features and the 512-pixel
// classifier can run offline: seeded random weights written as the release's own state_dict tensors and
// put through the same readers and graph builders as a real checkpoint. Their outputs mean nothing
// medically and model.json says trained: false.
//
// Initialisation as torchvision's (Kaiming-normal, fan_out), with the last BatchNorm of every residual
// block at gamma 0 (torchvision's zero_init_residual): each block starts as its shortcut, so activations
// stay finite through 16 or 33 blocks without calibration. The 1-channel classifier's first BatchNorm
// takes the [-1024, 1024] input scale down to about unit variance.

export type DemoZooKind = "resnet50" | "pspnet" | "view";

class StateDict {
  readonly tensors = new Map<string, Tensor>();
  constructor(private readonly normal: () => number) {}

  conv(name: string, out: number, inCh: number, k: number): void {
    const std = Math.sqrt(2 / (out * k * k));
    const data = new Float32Array(out * inCh * k * k);
    for (let i = 0; i < data.length; i++) data[i] = this.normal() * std;
    this.tensors.set(name, { dtype: "float32", shape: [out, inCh, k, k], data });
  }

  bn(prefix: string, c: number, gamma = 1, variance = 1): void {
    this.tensors.set(`${prefix}.weight`, { dtype: "float32", shape: [c], data: new Float32Array(c).fill(gamma) });
    this.tensors.set(`${prefix}.bias`, { dtype: "float32", shape: [c], data: new Float32Array(c) });
    this.tensors.set(`${prefix}.running_mean`, { dtype: "float32", shape: [c], data: new Float32Array(c) });
    this.tensors.set(`${prefix}.running_var`, { dtype: "float32", shape: [c], data: new Float32Array(c).fill(variance) });
  }

  linear(name: string, out: number, inCh: number, conv = false): void {
    const bound = 1 / Math.sqrt(inCh);
    const data = new Float32Array(out * inCh);
    for (let i = 0; i < data.length; i++) data[i] = this.normal() * bound;
    this.tensors.set(`${name}.weight`, { dtype: "float32", shape: conv ? [out, inCh, 1, 1] : [out, inCh], data });
    this.tensors.set(`${name}.bias`, { dtype: "float32", shape: [out], data: new Float32Array(out) });
  }
}

function resnet50Tensors(seed: number, inChannels: number, classes: number): Map<string, Tensor> {
  const sd = new StateDict(seededNormal(seed));
  sd.conv("conv1.weight", 64, inChannels, 7);
  sd.bn("bn1", 64, 1, inChannels === 1 ? 1024 * 1024 : 1);
  let ch = 64;
  [3, 4, 6, 3].forEach((blocks, li) => {
    const mid = 64 * 2 ** li;
    const out = mid * 4;
    for (let b = 0; b < blocks; b++) {
      const p = `layer${li + 1}.${b}`;
      sd.conv(`${p}.conv1.weight`, mid, ch, 1);
      sd.bn(`${p}.bn1`, mid);
      sd.conv(`${p}.conv2.weight`, mid, mid, 3);
      sd.bn(`${p}.bn2`, mid);
      sd.conv(`${p}.conv3.weight`, out, mid, 1);
      sd.bn(`${p}.bn3`, out, 0);
      if (b === 0) {
        sd.conv(`${p}.downsample.0.weight`, out, ch, 1);
        sd.bn(`${p}.downsample.1`, out);
      }
      ch = out;
    }
  });
  sd.linear("fc", classes, ch);
  return sd.tensors;
}

function pspnetTensors(seed: number, classes: number): Map<string, Tensor> {
  const sd = new StateDict(seededNormal(seed));
  const cbr = (p: string, unit: string, out: number, inCh: number, k: number, gamma = 1) => {
    sd.conv(`${p}.${unit}.0.weight`, out, inCh, k);
    sd.bn(`${p}.${unit}.1`, out, gamma);
  };
  cbr("convbnrelu1_1", "cbr_unit", 64, 3, 3);
  cbr("convbnrelu1_2", "cbr_unit", 64, 64, 3);
  cbr("convbnrelu1_3", "cbr_unit", 128, 64, 3);
  let ch = 128;
  [3, 4, 23, 3].forEach((blocks, si) => {
    const mid = 64 * 2 ** si;
    const out = mid * 4;
    for (let b = 0; b < blocks; b++) {
      const p = `res_block${si + 2}.layers.${b}`;
      cbr(`${p}.cbr1`, "cbr_unit", mid, ch, 1);
      cbr(`${p}.cbr2`, "cbr_unit", mid, mid, 3);
      cbr(`${p}.cb3`, "cb_unit", out, mid, 1, 0);
      if (b === 0) cbr(`${p}.cb4`, "cb_unit", out, ch, 1);
      ch = out;
    }
  });
  for (let i = 0; i < 4; i++) cbr(`pyramid_pooling.path_module_list.${i}`, "cbr_unit", ch / 4, ch, 1);
  cbr("cbr_final", "cbr_unit", 512, ch * 2, 3);
  sd.linear("classification", classes, 512, true);
  return sd.tensors;
}

export const DEMO_ZOO_SEED = 20240601;

/** Writes the untrained demo of one zoo model into `outDir`. */
export async function buildZooDemo(kind: DemoZooKind, outDir: string, seed = DEMO_ZOO_SEED): Promise<ModelManifest | ZooManifest> {
  const description = (what: string) => `UNTRAINED demo: ${what} with seeded random weights. Its outputs mean nothing medically.`;
  const opts = { outDir, trained: false, seed };
  if (kind === "resnet50") {
    return writeResNetClassifier(resnet50Tensors(seed, 1, 18), null, { ...opts, name: `${RESNET50_NAME}-demo`, description: description("ResNet-50 classifier at 512") });
  }
  if (kind === "view") return writeViewModel(resnet50Tensors(seed, 3, 1000), null, { ...opts, name: `${VIEW_NAME}-demo`, description: description("view model (ResNet-50)") });
  return writePspNet(pspnetTensors(seed, 14), null, { ...opts, name: `${PSPNET_NAME}-demo`, description: description("chestx_det PSPNet anatomy model") });
}
