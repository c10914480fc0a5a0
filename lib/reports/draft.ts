// The structured text report a radiologist copies into the RIS after sign-off. Pure: built from the
// signed-off review, the model's findings and the model identity; no patient name or ID exists to print.
import type { AnatomySummary } from "@/lib/anatomy/run-models";
import { byScore, formatScore } from "@/lib/core/finding-score";
import type { Measurement } from "@/lib/core/measurement-types";
import { describeMeasurement, type PixelSpacing } from "@/lib/studies/measurements";
import type { OverallResult } from "@/lib/core/overall-result";
import { TRIAGE_LABEL, type TriageLevel } from "@/lib/triage/rules";
import { softwareSection } from "./draft-software";

export interface ReportDraftInput {
  study: {
    accessionNumber: string | null;
    studyDate: string | null;
    viewPosition: string | null;
    modality: string | null;
    triageLevel: TriageLevel | null;
    pixelSpacing?: PixelSpacing;
    /** Flagged as not frontal (tag or view model): no software ratio is reported for it. */
    nonFrontal?: boolean;
  };
  model: { name: string | null; version: string | null; trained: boolean | null };
  /** calibrated null: not assessed by this model. */
  findings: readonly { label: string; calibrated: number | null; positive: boolean }[];
  review: {
    version: number;
    decisions: Record<string, "agree" | "disagree">;
    addedFindings: readonly string[];
    impression: string;
    measurements?: readonly Measurement[];
    signedOffAt: Date | string;
    reviewerName: string;
    amendmentReason: string | null;
    /** As the report model gives it: never normal beside a confirmed finding. */
    overallResult: OverallResult;
  };
  /** The anatomy model's measurements, when it has run on this film. */
  anatomy?: AnatomySummary | null;
}

export const REPORT_DISCLAIMER =
  "AI findings are decision support only. This report reflects the signing radiologist's interpretation; " +
  "the AI scores are not a diagnosis and were not validated for use without a radiologist.";

const label = (l: string) => l.replaceAll("_", " ");
const isoMinute = (d: Date | string) => new Date(d).toISOString().slice(0, 16).replace("T", " ") + " UTC";

export function buildReportDraft({ study, model, findings, review, anatomy }: ReportDraftInput): string {
  const present: string[] = [];
  const rejected: string[] = [];
  // Most certain first: what the reader should see at the top of the list.
  for (const f of [...findings].sort(byScore)) {
    const decision = review.decisions[f.label];
    if (f.positive && decision === "agree") present.push(`- ${label(f.label)}: present (AI ${formatScore(f.calibrated)}, confirmed).`);
    if (f.positive && decision === "disagree") rejected.push(`- ${label(f.label)}: not confirmed (AI ${formatScore(f.calibrated)}, overruled).`);
  }
  const known = new Set(findings.map((f) => f.label));
  for (const added of review.addedFindings) {
    const f = findings.find((x) => x.label === added);
    present.push(
      known.has(added) && f
        ? `- ${label(added)}: present (not called by AI, ${formatScore(f.calibrated)}; added by radiologist).`
        : `- ${added}: present (added by radiologist).`,
    );
  }
  const agreedNegative = findings.filter((f) => !f.positive && review.decisions[f.label] === "agree").length;

  const header = [
    "CHEST RADIOGRAPH REPORT",
    `Accession: ${study.accessionNumber ?? "—"}   Study date: ${study.studyDate ?? "—"}   View: ${study.viewPosition ?? "—"}${
      study.modality ? `   Modality: ${study.modality}` : ""
    }`,
    `AI triage: ${study.triageLevel ? TRIAGE_LABEL[study.triageLevel] : "—"}`,
  ];
  const body = [
    `OVERALL RESULT: ${review.overallResult === "abnormal" ? "ABNORMAL" : "NORMAL"}`,
    "",
    "FINDINGS",
    ...(present.length ? present : ["- No abnormality confirmed."]),
    ...(rejected.length ? ["AI findings not confirmed by the radiologist:", ...rejected] : []),
    `${agreedNegative} further finding${agreedNegative === 1 ? "" : "s"} scored negative by the AI, confirmed negative.`,
    ...(review.measurements?.length
      ? ["", "MEASUREMENTS", ...review.measurements.map((m) => `- ${describeMeasurement(m, study.pixelSpacing)}.`)]
      : []),
    ...softwareSection({ study, findings, review, anatomy }),
    "",
    "IMPRESSION",
    review.impression.trim() || "—",
  ];
  const trainedNote =
    model.trained === false ? " — UNTRAINED DEMONSTRATION MODEL: its scores carry no medical meaning" : "";
  const footer = [
    `Signed off by ${review.reviewerName} on ${isoMinute(review.signedOffAt)} (review version ${review.version}${
      review.amendmentReason ? `, amended: ${review.amendmentReason}` : ""
    }).`,
    `AI model: ${model.name ?? "unknown"} ${model.version ?? ""}`.trimEnd() + trainedNote + ".",
    REPORT_DISCLAIMER,
  ];
  return [...header, "", ...body, "", ...footer].join("\n");
}
