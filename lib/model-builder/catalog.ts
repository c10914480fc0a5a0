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

export const CATALOG: Record<string, CatalogEntry> = {
  "densenet121-res224-all": {
    name: "densenet121-res224-all",
    description: "DenseNet-121 trained on NIH, PadChest, CheXpert, MIMIC-CXR (CH), Google, OpenI and RSNA (arXiv:2002.02497)",
    url: `${RELEASE}/nih-pc-chex-mimic_ch-google-openi-kaggle-densenet121-d121-tw-lr001-rot45-tr15-sc15-seed0-best.pt`,
    labels: [...XRV_LABELS],
    op_threshs: [0.07422872, 0.038290843, 0.09814756, 0.0098118475, 0.023601074, 0.0022490358, 0.010060724, 0.103246614, 0.056810737, 0.026791653, 0.050318155, 0.023985857, 0.01939503, 0.042889766, 0.053369623, 0.035975814, 0.20204692, 0.05015312],
    inputSize: 224,
  },
  "densenet121-res224-nih": {
    name: "densenet121-res224-nih",
    description: "DenseNet-121 trained on NIH ChestX-ray14",
    url: `${RELEASE}/nih-densenet121-d121-tw-lr001-rot45-tr15-sc15-seed0-best.pt`,
    labels: keep("111111111111110000"),
    op_threshs: [0.039117552, 0.0034529066, 0.11396341, 0.0057298196, 0.00045666535, 0.0018880932, 0.012037827, 0.038744126, 0.0037213727, 0.014730946, 0.016149804, 0.054241467, 0.037198864, 0.0004403434, n, n, n, n],
    inputSize: 224,
  },
  "densenet121-res224-pc": {
    name: "densenet121-res224-pc",
    description: "DenseNet-121 trained on PadChest",
    url: `${RELEASE}/pc-densenet121-d121-tw-lr001-rot45-tr15-sc15-seed0-best.pt`,
    labels: keep("111111111111110100"),
    op_threshs: [0.031012505, 0.013347598, 0.081435576, 0.001262615, 0.002587246, 0.0035944257, 0.0023071, 0.055412333, 0.044385884, 0.042766232, 0.043258056, 0.037629247, 0.005658899, 0.0091741895, n, 0.026507627, n, n],
    inputSize: 224,
  },
  "densenet121-res224-chex": {
    name: "densenet121-res224-chex",
    description: "DenseNet-121 trained on CheXpert",
    url: `${RELEASE}/chex-densenet121-d121-tw-lr001-rot45-tr15-sc15-seed0-best.pt`,
    labels: keep("110110011010001111"),
    op_threshs: [0.1988969, 0.05710573, n, 0.0531293, 0.1435217, n, n, 0.27212676, 0.07749717, n, 0.19712369, n, n, n, 0.09932402, 0.09273402, 0.3270967, 0.10888247],
    inputSize: 224,
  },
  "densenet121-res224-rsna": {
    name: "densenet121-res224-rsna",
    description: "DenseNet-121 trained on the RSNA Pneumonia Challenge",
    url: `${RELEASE}/kaggle-densenet121-d121-tw-lr001-rot45-tr15-sc15-seed0-best.pt`,
    labels: keep("000000001000000010"),
    op_threshs: [n, n, n, n, n, n, n, n, 0.13486601, n, n, n, n, n, n, n, 0.13511065, n],
    inputSize: 224,
  },
  "densenet121-res224-mimic_nb": {
    name: "densenet121-res224-mimic_nb",
    description: "DenseNet-121 trained on MIMIC-CXR (NegBio labels)",
    url: `${RELEASE}/mimic_nb-densenet121-d121-tw-lr001-rot45-tr15-sc15-seed0-best.pt`,
    labels: keep("110110011010001111"),
    op_threshs: [0.08558747, 0.011884617, n, 0.0040595434, 0.010733786, n, n, 0.118761964, 0.022924708, n, 0.06358637, n, n, n, 0.022143636, 0.017476924, 0.1258702, 0.014020768],
    inputSize: 224,
  },
  "densenet121-res224-mimic_ch": {
    name: "densenet121-res224-mimic_ch",
    description: "DenseNet-121 trained on MIMIC-CXR (CheXpert labels)",
    url: `${RELEASE}/mimic_ch-densenet121-d121-tw-lr001-rot45-tr15-sc15-seed0-best.pt`,
    labels: keep("110110011010001111"),
    op_threshs: [0.09121389, 0.010573786, n, 0.005023008, 0.003698257, n, n, 0.08001232, 0.037242252, n, 0.05006329, n, n, n, 0.019866971, 0.03823637, 0.11303808, 0.0069147074],
    inputSize: 224,
  },
};

export function catalogEntry(name: string): CatalogEntry | undefined {
  return Object.hasOwn(CATALOG, name) ? CATALOG[name] : undefined;
}
