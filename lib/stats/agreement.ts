// AI–radiologist agreement per finding, treating the signed-off review as the reference standard:
// model-positive + agree = TP, model-positive + disagree = FP, model-negative + disagree (or the
// reviewer added it as missed) = FN, model-negative + agree = TN. Pure, so hand-computed cases test it.

export interface ReviewedCall {
  label: string;
  modelPositive: boolean;
  decision: "agree" | "disagree" | undefined;
  /** The reviewer listed this label as a finding the model missed. */
  added: boolean;
}

export interface AgreementRow {
  label: string;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** Reviewed studies that count for this label. */
  n: number;
  sensitivity: number | null;
  specificity: number | null;
  sensitivityCi: [number, number] | null;
  specificityCi: [number, number] | null;
}

/** Wilson score interval (95%): honest for the small counts a single site collects. */
export function wilson(successes: number, total: number, z = 1.959964): [number, number] | null {
  if (total === 0) return null;
  const p = successes / total;
  const denom = 1 + (z * z) / total;
  const centre = (p + (z * z) / (2 * total)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / total + (z * z) / (4 * total * total))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export function classify(call: ReviewedCall): "tp" | "fp" | "fn" | "tn" | null {
  if (call.modelPositive) {
    if (call.decision === "agree") return "tp";
    if (call.decision === "disagree") return "fp";
    return null;
  }
  if (call.added || call.decision === "disagree") return "fn";
  if (call.decision === "agree") return "tn";
  return null;
}

export function computeAgreement(calls: readonly ReviewedCall[], labelOrder: readonly string[] = []): AgreementRow[] {
  const counts = new Map<string, { tp: number; fp: number; fn: number; tn: number }>();
  for (const l of labelOrder) counts.set(l, { tp: 0, fp: 0, fn: 0, tn: 0 });
  for (const call of calls) {
    const kind = classify(call);
    if (!kind) continue;
    const c = counts.get(call.label) ?? { tp: 0, fp: 0, fn: 0, tn: 0 };
    c[kind] += 1;
    counts.set(call.label, c);
  }
  return [...counts].map(([label, c]) => ({
    label,
    ...c,
    n: c.tp + c.fp + c.fn + c.tn,
    sensitivity: c.tp + c.fn ? c.tp / (c.tp + c.fn) : null,
    specificity: c.tn + c.fp ? c.tn / (c.tn + c.fp) : null,
    sensitivityCi: wilson(c.tp, c.tp + c.fn),
    specificityCi: wilson(c.tn, c.tn + c.fp),
  }));
}
