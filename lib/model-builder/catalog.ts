// Official TorchXRayVision DenseNet-121 release checkpoints (github.com/mlmed/torchxrayvision,
// torchxrayvision/models.py, `model_urls`): download URL, output labels and operating points.
// Only the 18-output densenet121-res224-* family is listed: it is the architecture the graph builder
// supports (resnet50-res512-all is a ResNet and is not). The release publishes no checksums; `fetch`
// records the sha256 of what it downloaded in model.json.

export const DEFAULT_MODEL_NAME = "densenet121-res224-all";

const RELEASE = "https://github.com/mlmed/torchxrayvision/releases/download/v1";

/** TorchXRayVision's default pathology order (datasets.default_pathologies). */
export const XRV_LABELS = [
  "Atelectasis", "Consolidation", "Infiltration", "Pneumothorax", "Edema", "Emphysema", "Fibrosis",
  "Effusion", "Pneumonia", "Pleural_Thickening", "Cardiomegaly", "Nodule", "Mass", "Hernia",
  "Lung Lesion", "Fracture", "Lung Opacity", "Enlarged Cardiomediastinum",
] as const;

export interface CatalogEntry {
  name: string;
  description: string;
  url: string;
  /** Output order; "" where the release's training data had no such label. */
  labels: string[];
  /** null where models.py has NaN. */
  op_threshs: (number | null)[];
  inputSize: 224;
}

const keep = (mask: string) => XRV_LABELS.map((l, i) => (mask[i] === "1" ? l : ""));
const n = null;

/** One DenseNet-121 release: its catalogue name, the datasets its checkpoint file is named after, and its outputs. */
function densenet(variant: string, trainedOn: string, description: string, labels: string[], op_threshs: (number | null)[]): [string, CatalogEntry] {
  const name = `densenet121-res224-${variant}`;
  return [name, { name, description, url: `${RELEASE}/${trainedOn}-densenet121-d121-tw-lr001-rot45-tr15-sc15-seed0-best.pt`, labels, op_threshs, inputSize: 224 }];
}

export const CATALOG: Record<string, CatalogEntry> = Object.fromEntries([
  densenet("all", "nih-pc-chex-mimic_ch-google-openi-kaggle", "DenseNet-121 trained on NIH, PadChest, CheXpert, MIMIC-CXR (CH), Google, OpenI and RSNA (arXiv:2002.02497)", [...XRV_LABELS],
    [0.07422872, 0.038290843, 0.09814756, 0.0098118475, 0.023601074, 0.0022490358, 0.010060724, 0.103246614, 0.056810737, 0.026791653, 0.050318155, 0.023985857, 0.01939503, 0.042889766, 0.053369623, 0.035975814, 0.20204692, 0.05015312]),
  densenet("nih", "nih", "DenseNet-121 trained on NIH ChestX-ray14", keep("111111111111110000"),
    [0.039117552, 0.0034529066, 0.11396341, 0.0057298196, 0.00045666535, 0.0018880932, 0.012037827, 0.038744126, 0.0037213727, 0.014730946, 0.016149804, 0.054241467, 0.037198864, 0.0004403434, n, n, n, n]),
  densenet("pc", "pc", "DenseNet-121 trained on PadChest", keep("111111111111110100"),
    [0.031012505, 0.013347598, 0.081435576, 0.001262615, 0.002587246, 0.0035944257, 0.0023071, 0.055412333, 0.044385884, 0.042766232, 0.043258056, 0.037629247, 0.005658899, 0.0091741895, n, 0.026507627, n, n]),
  densenet("chex", "chex", "DenseNet-121 trained on CheXpert", keep("110110011010001111"),
    [0.1988969, 0.05710573, n, 0.0531293, 0.1435217, n, n, 0.27212676, 0.07749717, n, 0.19712369, n, n, n, 0.09932402, 0.09273402, 0.3270967, 0.10888247]),
  densenet("rsna", "kaggle", "DenseNet-121 trained on the RSNA Pneumonia Challenge", keep("000000001000000010"),
    [n, n, n, n, n, n, n, n, 0.13486601, n, n, n, n, n, n, n, 0.13511065, n]),
  densenet("mimic_nb", "mimic_nb", "DenseNet-121 trained on MIMIC-CXR (NegBio labels)", keep("110110011010001111"),
    [0.08558747, 0.011884617, n, 0.0040595434, 0.010733786, n, n, 0.118761964, 0.022924708, n, 0.06358637, n, n, n, 0.022143636, 0.017476924, 0.1258702, 0.014020768]),
  densenet("mimic_ch", "mimic_ch", "DenseNet-121 trained on MIMIC-CXR (CheXpert labels)", keep("110110011010001111"),
    [0.09121389, 0.010573786, n, 0.005023008, 0.003698257, n, n, 0.08001232, 0.037242252, n, 0.05006329, n, n, n, 0.019866971, 0.03823637, 0.11303808, 0.0069147074]),
]);

export function catalogEntry(name: string): CatalogEntry | undefined {
  return Object.hasOwn(CATALOG, name) ? CATALOG[name] : undefined;
}
