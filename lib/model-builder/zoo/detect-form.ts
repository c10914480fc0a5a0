import type { Checkpoint } from "../checkpoint/read-checkpoint";
import { ModelError } from "@/lib/inference/errors";
import { isPspNet } from "./pspnet-weights";
import { isTorchvisionResNet } from "./resnet-weights";
import { PSPNET_NAME, RESNET50_NAME, VIEW_NAME } from "./zoo-catalog";

// Which release a checkpoint is, from its tensors alone (file names are often changed):
//  - DenseNet: features.conv0 ... (the existing converter);
//  - PSPNet: convbnrelu1_1 stem and pyramid_pooling paths (DataParallel's "module." already stripped);
//  - ResNet with a 1-channel conv1: the 512-pixel findings classifier;
//  - ResNet with a 3-channel conv1 and 1000 outputs: xinario's view model (torchvision ImageNet head).

export type ReleaseForm = "densenet" | typeof RESNET50_NAME | typeof PSPNET_NAME | typeof VIEW_NAME;

export function detectReleaseForm(ckpt: Pick<Checkpoint, "tensors">): ReleaseForm {
  const t = ckpt.tensors;
  if ([...t.keys()].some((k) => /^features\.(conv0|denseblock1)\./.test(k))) return "densenet";
  if (isPspNet(t)) return PSPNET_NAME;
  if (isTorchvisionResNet(t)) {
    const inChannels = t.get("conv1.weight")?.shape[1];
    const outputs = t.get("fc.weight")?.shape[0];
    if (inChannels === 1) return RESNET50_NAME;
    if (inChannels === 3 && outputs === 1000) return VIEW_NAME;
    throw new ModelError(
      "MODEL_ARCHITECTURE",
      `a torchvision ResNet with a ${inChannels}-channel conv1 and ${outputs} outputs is neither TorchXRayVision's 1-channel classifier nor the 3-channel, 1000-output view model`,
    );
  }
  const sample = [...t.keys()].slice(0, 3).join(", ");
  throw new ModelError(
    "MODEL_ARCHITECTURE",
    `not a known TorchXRayVision release: no DenseNet (features.conv0), PSPNet (convbnrelu1_1, pyramid_pooling) or ResNet (conv1, layer1, fc) tensors; it starts with ${sample}`,
  );
}
