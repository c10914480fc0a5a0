import type { ModelManifest } from "./manifest";

// From logits to what a reader sees: probability = sigmoid(logit), then TorchXRayVision's op_norm, which
// maps each output's operating point to 0.5 so that one threshold (0.5) means "positive" for every
// finding. Pure functions, safe on the client.

export interface Finding {
  label: string;
  logit: number;
  probability: number;
  /** op_norm(probability): 0.5 at the operating point. Equals `probability` when the model has none. */
  calibrated: number;
  positive: boolean;
  /**
   * false where this model gives no score for the label: an output it never learned ("" label) or one
   * its release has no operating point for. Such a finding is "not assessed by this model": its
   * `calibrated` (op_norm's 0.5) is not a score and must not be shown as one.
   */
  assessed: boolean;
}

export function sigmoid(x: number): number {
  // Split by sign so large |x| never overflows exp().
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * TorchXRayVision op_norm for one value. A NaN/null threshold gives 0.5, as TorchXRayVision does for
 * outputs a release was not calibrated on.
 */
export function opNorm(probability: number, threshold: number | null): number {
  if (threshold === null || Number.isNaN(threshold)) return 0.5;
  if (probability < threshold) return probability / (threshold * 2);
  return 1 - (1 - probability) / ((1 - threshold) * 2);
}

/**
 * Findings in model output order. An output whose label is empty or whose threshold is null was not
 * trained or calibrated for this release: it is reported (so indexes match the CAM) but never positive.
 */
export function calibrate(logits: ArrayLike<number>, manifest: Pick<ModelManifest, "labels" | "op_threshs">): Finding[] {
  const { labels, op_threshs: thresholds } = manifest;
  if (logits.length !== labels.length) {
    throw new Error(`calibrate: ${logits.length} logits for ${labels.length} labels`);
  }
  if (thresholds && thresholds.length !== labels.length) {
    throw new Error(`calibrate: ${thresholds.length} thresholds for ${labels.length} labels`);
  }
  return labels.map((label, i) => {
    const logit = logits[i];
    const probability = sigmoid(logit);
    if (!thresholds) return { label, logit, probability, calibrated: probability, positive: label !== "" && probability >= 0.5, assessed: label !== "" };
    const threshold = thresholds[i];
    const calibrated = opNorm(probability, threshold);
    const assessed = label !== "" && threshold !== null;
    return { label, logit, probability, calibrated, positive: assessed && calibrated >= 0.5, assessed };
  });
}
