import { XRV_LABELS } from "../catalog";
import { PSPNET_TARGETS, VIEW_LABELS } from "@/lib/inference/zoo-manifest";

// TorchXRayVision's other release files (github.com/mlmed/torchxrayvision, models.py and
// baseline_models/): the 512-pixel ResNet-50 classifier, the chestx_det PSPNet anatomy model and
// xinario's view model. The converter recognises each by its tensors; these entries give its name,
// input size, outputs and (for the classifier) operating points. The release publishes no checksums.

const RELEASE = "https://github.com/mlmed/torchxrayvision/releases/download/v1";

export const RESNET50_NAME = "resnet50-res512-all";
export const PSPNET_NAME = "chestx-det-pspnet";
export const VIEW_NAME = "xinario-view";

export interface ZooEntry {
  name: string;
  task: "classifier" | "anatomy" | "view";
  description: string;
  url: string;
  inputSize: number;
  labels: string[];
  /** Classifier only; null where the release has no operating point (NaN in models.py). */
  op_threshs: (number | null)[] | null;
}

export const ZOO: Record<string, ZooEntry> = {
  [RESNET50_NAME]: {
    name: RESNET50_NAME,
    task: "classifier",
    description: "ResNet-50 at 512x512 trained on PadChest, NIH, RSNA, SIIM and VinBrain (TorchXRayVision resnet50-res512-all)",
    url: `${RELEASE}/pc-nih-rsna-siim-vin-resnet50-test512-e400-state.pt`,
    inputSize: 512,
    labels: [...XRV_LABELS],
    // Lung Lesion and Enlarged Cardiomediastinum have none: those outputs are "not assessed by this model".
    op_threshs: [
      0.51570356, 0.50444704, 0.53787947, 0.50723547, 0.5025118, 0.5035252, 0.5038076, 0.51862943, 0.5078151, 0.50724894, 0.5056339,
      0.510706, 0.5053923, 0.5020846, null, 0.5080557, 0.5138526, null,
    ],
  },
  [PSPNET_NAME]: {
    name: PSPNET_NAME,
    task: "anatomy",
    description: "chestx_det PSPNet (ChestX-Det, Lian et al. 2021): 14 anatomical structures at 512x512",
    url: `${RELEASE}/pspnet_chestxray_best_model_4.pth`,
    inputSize: 512,
    labels: [...PSPNET_TARGETS],
    op_threshs: null,
  },
  [VIEW_NAME]: {
    name: VIEW_NAME,
    task: "view",
    description: "xinario chestViewSplit ResNet-50: frontal vs lateral view at 224x224",
    url: `${RELEASE}/xinario_chestViewSplit_resnet-50.pt`,
    inputSize: 224,
    labels: [...VIEW_LABELS],
    op_threshs: null,
  },
};
