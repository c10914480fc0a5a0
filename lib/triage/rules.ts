// Study-level triage: every rule lives here, as data plus one pure function, so the level and the
// sentence explaining it always come from the same place (the worklist, the result page and the
// recompute job all call evaluateTriage). No database or server imports: the UI renders the reasons.
import type { AnalysisStatus } from "@/lib/db/schema";

export const TRIAGE_LEVELS = ["critical", "abnormal", "normal", "not_assessable"] as const;
export type TriageLevel = (typeof TRIAGE_LEVELS)[number];

/** Worklist order: the film that needs a radiologist now comes first; unreadable films before normals. */
export const TRIAGE_RANK: Record<TriageLevel, number> = { critical: 0, abnormal: 1, not_assessable: 2, normal: 3 };

export const TRIAGE_LABEL: Record<TriageLevel, string> = {
  critical: "Critical",
  abnormal: "Abnormal",
  normal: "Normal",
  not_assessable: "Not assessable",
};

/**
 * Findings that make a study critical when called positive. A pneumothorax can need drainage within the
 * hour; the other labels of the model describe disease that is read in the normal queue.
 */
export const CRITICAL_FINDINGS: readonly string[] = ["Pneumothorax"];

/**
 * Quality gates that make the scores meaningless: the model was trained on frontal chest radiographs
 * only, so its output on a lateral, a photograph or a CT slice is not evidence of anything.
 */
export const NOT_ASSESSABLE_WARNINGS: Readonly<Record<string, string>> = {
  non_frontal_view: "not a frontal (PA/AP) view; the model reads frontal chest films only",
  not_a_radiograph: "the image does not look like a radiograph",
  non_radiograph_modality: "the modality is not plain radiography",
};

/** The model's operating point: op_norm maps each label's threshold to a calibrated score of 0.5. */
export const DEFAULT_THRESHOLD = 0.5;

export interface TriageFinding {
  label: string;
  /** null: not assessed by this model (no score); such a finding is never triaged. */
  calibrated: number | null;
  /** The release has no operating point for this output: it is reported but never triaged. */
  uncalibrated?: boolean;
}

/**
 * From a stored finding. A finding this model did not assess is stored with no calibrated score; rows
 * stored before that was so carry op_norm's 0.5 and are never positive (a calibrated output at 0.5 is
 * always positive), and that pair identifies them too.
 */
export function triageFinding(row: { label: string; calibrated: number | null; positive: boolean }): TriageFinding {
  const uncalibrated = row.label === "" || row.calibrated === null || (!row.positive && row.calibrated === 0.5);
  return { label: row.label, calibrated: uncalibrated ? null : row.calibrated, uncalibrated };
}

export interface TriageInput {
  status: AnalysisStatus;
  findings: readonly TriageFinding[];
  warnings: readonly { code: string; message: string }[];
  /** Site thresholds on the calibrated score, per label; labels not listed use DEFAULT_THRESHOLD. */
  thresholds: Readonly<Record<string, number>>;
}

export interface TriageResult {
  /** null while the analysis is still running: it has no level yet. */
  level: TriageLevel | null;
  /** Human-readable sentences, most important first. */
  reasons: string[];
  /** Labels at or above their site threshold, highest calibrated score first. */
  calledLabels: string[];
}

export function thresholdFor(label: string, thresholds: Readonly<Record<string, number>>): number {
  const t = thresholds[label];
  return typeof t === "number" && Number.isFinite(t) ? t : DEFAULT_THRESHOLD;
}

/** A threshold of 1 takes a label out of triage (a saturated score of exactly 1.0 must not count). */
export const OFF_THRESHOLD = 1;

/** A finding is called when its calibrated score reaches the site threshold for its label. */
export function isCalled(f: TriageFinding, thresholds: Readonly<Record<string, number>>): boolean {
  const t = thresholdFor(f.label, thresholds);
  return !f.uncalibrated && f.calibrated !== null && t < OFF_THRESHOLD && f.calibrated >= t;
}

const fmt = (v: number) => v.toFixed(2);

function describe(f: TriageFinding, thresholds: Readonly<Record<string, number>>): string {
  return `${f.label.replaceAll("_", " ")} ${fmt(f.calibrated ?? 0)} ≥ threshold ${fmt(thresholdFor(f.label, thresholds))}`;
}

export function evaluateTriage(input: TriageInput): TriageResult {
  if (input.status === "queued" || input.status === "processing") return { level: null, reasons: ["Analysis still running."], calledLabels: [] };
  if (input.status === "failed") {
    return { level: "not_assessable", reasons: ["The analysis failed; read the film without AI support."], calledLabels: [] };
  }

  const called = input.findings
    .filter((f) => !f.uncalibrated && isCalled(f, input.thresholds))
    .sort((a, b) => (b.calibrated ?? 0) - (a.calibrated ?? 0));
  const calledLabels = called.map((f) => f.label);

  const gates = input.warnings.filter((w) => w.code in NOT_ASSESSABLE_WARNINGS);
  if (gates.length > 0) {
    const reasons = gates.map((w) => `Not assessable: ${NOT_ASSESSABLE_WARNINGS[w.code]}.`);
    if (called.length > 0) reasons.push(`Scores above threshold are shown but not used for triage (${called.length}).`);
    return { level: "not_assessable", reasons, calledLabels };
  }
  if (input.findings.length === 0) {
    return { level: "not_assessable", reasons: ["The model produced no findings."], calledLabels };
  }

  // Softer quality warnings (low contrast, small image) keep the level but travel with it.
  const caveats = input.warnings.map((w) => `Quality caveat: ${w.message}`);

  const critical = called.filter((f) => CRITICAL_FINDINGS.includes(f.label));
  if (critical.length > 0) {
    const reasons = critical.map((f) => `Critical finding: ${describe(f, input.thresholds)}.`);
    const others = called.length - critical.length;
    if (others > 0) reasons.push(`${others} other finding${others === 1 ? "" : "s"} above threshold.`);
    return { level: "critical", reasons: [...reasons, ...caveats], calledLabels };
  }
  if (called.length > 0) {
    const shown = called.slice(0, 3).map((f) => describe(f, input.thresholds));
    const more = called.length > 3 ? ` and ${called.length - 3} more` : "";
    return { level: "abnormal", reasons: [`Abnormal: ${shown.join("; ")}${more}.`, ...caveats], calledLabels };
  }
  return { level: "normal", reasons: ["No finding reaches its threshold.", ...caveats], calledLabels };
}
