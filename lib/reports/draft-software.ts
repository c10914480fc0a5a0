// The report draft's section of what software measured on the film: the cardiothoracic ratio from the
// anatomy model (with the AP caveat) and the lung zone of each positive finding's heatmap peak. Kept apart
// from the radiologist's own MEASUREMENTS so a reader never takes one for the other. Pure.
import { byScore } from "@/lib/core/finding-score";
import { findingZones, MEASURED_BY_SOFTWARE, measuredCtr, modelText, spanLength, UNTRAINED_ANATOMY, type MeasuredCtr } from "@/lib/anatomy/measured-ctr";
import { formatLength } from "@/lib/studies/measurements";
import type { AnatomySummary } from "@/lib/anatomy/run-models";

export interface SoftwareSectionInput {
  study: { viewPosition: string | null; nonFrontal?: boolean };
  findings: readonly { label: string; calibrated: number | null; positive: boolean }[];
  review: { decisions: Record<string, "agree" | "disagree"> };
  anatomy?: AnatomySummary | null;
}

const label = (l: string) => l.replaceAll("_", " ");

/** One line for staff: "Cardiothoracic ratio 0.52 (cardiac 140.0 mm, thoracic 270.0 mm), measured by software (model)". */
export function describeMeasuredCtr(m: MeasuredCtr): string {
  const who = `${modelText(m.model)}${m.model.trained ? "" : `; ${UNTRAINED_ANATOMY}`}`;
  const width = (s: MeasuredCtr["heart"]) => formatLength(spanLength(s));
  return `Cardiothoracic ratio ${m.ratio.toFixed(2)} (cardiac ${width(m.heart)}, thoracic ${width(m.thorax)}), ${MEASURED_BY_SOFTWARE} (${who})`;
}

export function softwareSection({ study, findings, review, anatomy }: SoftwareSectionInput): string[] {
  const ctr = measuredCtr(anatomy, { viewPosition: study.viewPosition, nonFrontal: study.nonFrontal ?? false });
  const positives = [...findings].sort(byScore).filter((f) => f.positive).map((f) => f.label);
  const zones = study.nonFrontal ? [] : findingZones(anatomy, positives);
  if (!ctr && !zones.length) return [];
  const note = ctr?.note;
  return [
    "",
    "SOFTWARE MEASUREMENTS (AI, not drawn by the radiologist)",
    ...(ctr ? [`- ${describeMeasuredCtr(ctr)}.`] : []),
    ...(note ? [`  ${note}`] : []),
    ...(zones.length ? ["AI finding locations (heatmap peak):"] : []),
    ...zones.map(
      ({ label: l, zone }) =>
        `- ${label(l)}: ${zone ?? "outside the lung outlines"}${review.decisions[l] === "disagree" ? " (finding not confirmed by the radiologist)" : ""}.`,
    ),
  ];
}
