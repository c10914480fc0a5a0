import type { Tensor } from "../checkpoint/tensor-data";
import type { BatchNormWeights, ConvWeights } from "../densenet/weights";
import { TensorReader } from "./tensor-reader";

// TorchXRayVision's chestx_det PSPNet (ptsemseg `pspnet`) as plain arrays: a 3-convolution stem, four
// bottleneck stages (res_block2..5; the last two dilated 2 and 4 instead of strided), pyramid pooling
// paths, cbr_final and the 1x1 classifier. The auxiliary head (convbnrelu4_aux, aux_cls) only trains the
// network and is dropped; its names are reported so the converter can say so.

export interface ConvBn {
  conv: ConvWeights;
  bn: BatchNormWeights;
}

export interface PspBottleneck {
  cbr1: ConvBn;
  cbr2: ConvBn;
  cb3: ConvBn;
  /** The projection shortcut of a stage's first block; null for the identity blocks. */
  cb4: ConvBn | null;
  stride: number;
  dilation: number;
}

export interface PspNetWeights {
  config: { blocks: number[]; numClasses: number; poolSizes: number[] };
  stem: ConvBn[];
  stages: PspBottleneck[][];
  pyramid: ConvBn[];
  final: ConvBn;
  classification: { weight: ConvWeights; bias: Float32Array };
  /** Tensors of the auxiliary training head, not used for inference. */
  dropped: string[];
}

/** ptsemseg's stage settings: [stride, dilation] of res_block2..5 (a dilated stage never strides). */
const STAGES: [number, number][] = [
  [1, 1],
  [2, 1],
  [1, 2],
  [1, 4],
];
export const POOL_SIZES = [6, 3, 2, 1];

export function isPspNet(tensors: Map<string, Tensor>): boolean {
  return tensors.has("convbnrelu1_1.cbr_unit.0.weight") && tensors.has("pyramid_pooling.path_module_list.0.cbr_unit.0.weight");
}

export function pspnetFromTensors(tensors: Map<string, Tensor>): PspNetWeights {
  const r = new TensorReader(tensors, "chestx_det PSPNet");
  const cb = (prefix: string, unit: "cbr_unit" | "cb_unit", out?: number, inCh?: number, k?: number): ConvBn => {
    const c = r.conv(`${prefix}.${unit}.0.weight`, out, inCh, k);
    if (r.has(`${prefix}.${unit}.0.bias`)) throw r.error(`${prefix} has a convolution bias; ptsemseg's are bias-free before a BatchNorm`);
    return { conv: c, bn: r.bn(`${prefix}.${unit}.1`, c.shape[0]) };
  };
  const stem = [cb("convbnrelu1_1", "cbr_unit", 64, 3, 3), cb("convbnrelu1_2", "cbr_unit", 64, 64, 3), cb("convbnrelu1_3", "cbr_unit", 128, 64, 3)];
  let channels = 128;
  const stages: PspBottleneck[][] = [];
  const blocks: number[] = [];
  STAGES.forEach(([stride, dilation], si) => {
    const stage: PspBottleneck[] = [];
    for (let b = 0; r.has(`res_block${si + 2}.layers.${b}.cbr1.cbr_unit.0.weight`); b++) {
      const p = `res_block${si + 2}.layers.${b}`;
      const cbr1 = cb(`${p}.cbr1`, "cbr_unit", undefined, channels, 1);
      const mid = cbr1.conv.shape[0];
      const cb3 = cb(`${p}.cb3`, "cb_unit", undefined, mid, 1);
      const out = cb3.conv.shape[0];
      const first = b === 0;
      if (!first && out !== channels) throw r.error(`${p} changes ${channels} to ${out} channels in an identity block`);
      stage.push({
        cbr1,
        cbr2: cb(`${p}.cbr2`, "cbr_unit", mid, mid, 3),
        cb3,
        cb4: first ? cb(`${p}.cb4`, "cb_unit", out, channels, 1) : null,
        stride: first ? stride : 1,
        dilation,
      });
      channels = out;
    }
    if (stage.length === 0) throw r.error(`res_block${si + 2} has no layers`);
    stages.push(stage);
    blocks.push(stage.length);
  });
  const pyramid = POOL_SIZES.map((_, i) => cb(`pyramid_pooling.path_module_list.${i}`, "cbr_unit", channels / POOL_SIZES.length, channels, 1));
  const final = cb("cbr_final", "cbr_unit", undefined, channels * 2, 3);
  const cls = r.conv("classification.weight", undefined, final.conv.shape[0], 1);
  const numClasses = cls.shape[0];
  const dropped = [...tensors.keys()].filter((k) => k.startsWith("convbnrelu4_aux.") || k.startsWith("aux_cls."));
  return {
    config: { blocks, numClasses, poolSizes: POOL_SIZES },
    stem,
    stages,
    pyramid,
    final,
    classification: { weight: cls, bias: r.get("classification.bias", [numClasses]).data },
    dropped,
  };
}
