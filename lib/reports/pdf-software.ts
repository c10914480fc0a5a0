import { byScore } from "@/lib/core/finding-score";
import { findingZones, measuredCtr, zoneForPatient, type MeasuredCtr } from "@/lib/anatomy/measured-ctr";
import { describeMeasuredCtr } from "./draft-software";
import { glossaryFor, type PatientStrings } from "./patient-strings";
import type { ReportData } from "./report-data";

// The PDF's section of what software measured: the anatomy model's cardiothoracic ratio and the lung zone
// of each positive finding. Staff read the measurement with its widths and the model; patients read plain
// words, centimetres only when the film gives them and never a pixel distance. Pure: the lines to print.

const display = (label: string) => label.replaceAll("_", " ");

function patientRatio(ctr: MeasuredCtr, s: PatientStrings["software"]): string[] {
  const cm = (mm: number | null) => `${((mm ?? 0) / 10).toFixed(1)} cm`;
  return [
    s.ratio(Math.round(ctr.ratio * 100)),
    ...(ctr.calibrated ? [s.widths(cm(ctr.heart.widthMm), cm(ctr.thorax.widthMm))] : []),
    ...(ctr.projection === "AP" ? [s.ap] : ctr.projection === "unknown" ? [s.unknownView] : []),
    ...(ctr.model.trained ? [] : [s.untrained]),
  ];
}

/** The section's lines, or null when there is nothing software measured on this film. */
export function softwareLines(report: ReportData, patient: boolean, strings: PatientStrings): { intro: string | null; lines: string[] } | null {
  const { analysis } = report;
  const nonFrontal = analysis.warnings.some((w) => w.code === "non_frontal_view");
  const ctr = measuredCtr(report.anatomy, { viewPosition: analysis.viewPosition, nonFrontal });
  const positives = [...report.findings].sort(byScore).filter((f) => f.positive).map((f) => f.label);
  const overruled = (label: string) => report.review.decisions[label] === "disagree";
  const all = nonFrontal ? [] : findingZones(report.anatomy, positives);
  // A patient is not shown where the computer placed a finding the radiologist overruled.
  const zones = patient ? all.filter((z) => !overruled(z.label)) : all;
  if (!ctr && !zones.length) return null;
  const s = strings.software;
  if (patient) {
    return {
      intro: s.intro,
      lines: [
        ...(ctr ? patientRatio(ctr, s) : []),
        ...(zones.length ? [s.whereHeading, ...zones.map((z) => `- ${s.where(glossaryFor(z.label, strings).plain, zoneForPatient(z.zone))}`)] : []),
      ],
    };
  }
  const note = ctr?.note;
  return {
    intro: null,
    lines: [
      ...(ctr ? [describeMeasuredCtr(ctr) + "."] : []),
      ...(note ? [note] : []),
      ...(zones.length ? ["Finding locations (heatmap peak, by lung zone):", ...zones.map((z) => `- ${display(z.label)}: ${z.zone ?? "outside the lung outlines"}${overruled(z.label) ? " (not confirmed by the radiologist)" : ""}`)] : []),
    ],
  };
}
