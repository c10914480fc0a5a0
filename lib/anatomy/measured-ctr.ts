import type { FilmSpan } from "./film-frame";
import { AP_NOTE, type AnatomySummary } from "./run-models";

// The software-measured cardiothoracic ratio as every report states it (draft, PDF, FHIR, SR): taken from
// the anatomy model's summary, on frontal films only, with the note an AP film needs and the model's
// identity. One place decides when there is a ratio to report, so no two outputs can disagree. Pure.

export interface MeasuredCtr {
  ratio: number;
  /** The two lines on the film (film pixels; mm when the film gives its pixel spacing). */
  heart: FilmSpan;
  thorax: FilmSpan;
  /** Both widths in mm (the film stated its pixel spacing); otherwise only film pixels are known. */
  calibrated: boolean;
  projection: "PA" | "AP" | "unknown";
  /** The caveat the projection needs (the summary's own AP note), or null for a PA film. */
  note: string | null;
  model: AnatomySummary["model"];
}

export interface FilmView {
  /** DICOM View Position, when the file had one. */
  viewPosition: string | null;
  /** The film was flagged as not frontal (by its tag or by the view model). */
  nonFrontal: boolean;
}

export const MEASURED_BY_SOFTWARE = "measured by software";
export const UNKNOWN_PROJECTION_NOTE = "Projection not stated: if this is an AP film, the ratio is overestimated compared with a PA film.";
export const UNTRAINED_ANATOMY = "UNTRAINED DEMONSTRATION MODEL: this measurement carries no medical meaning";

const LATERAL_TAG = /^(LL|RL|LAT|LATERAL|LLD|RLD)(?![A-Z])/;

/** The summary's projection when it states one (read from the film by the anatomy job), else the tag's. */
function projectionOf(summary: AnatomySummary, viewPosition: string | null): MeasuredCtr["projection"] | "lateral" {
  const tag = viewPosition?.trim().toUpperCase() ?? "";
  if (LATERAL_TAG.test(tag)) return "lateral";
  if (summary.projection) return summary.projection;
  if (/^AP(?![A-Z])/.test(tag)) return "AP";
  if (/^PA(?![A-Z])/.test(tag)) return "PA";
  return "unknown";
}

/** The ratio to report, or null: no anatomy, no ratio (an empty heart or lungs), or not a frontal film. */
export function measuredCtr(summary: AnatomySummary | null | undefined, view: FilmView): MeasuredCtr | null {
  if (!summary || view.nonFrontal) return null;
  const projection = projectionOf(summary, view.viewPosition);
  const { ratio } = summary.ctr;
  const { heart, thorax } = summary.film;
  if (projection === "lateral" || ratio === null || !Number.isFinite(ratio) || !heart || !thorax) return null;
  const note = projection === "AP" ? (summary.apNote ?? AP_NOTE) : projection === "unknown" ? UNKNOWN_PROJECTION_NOTE : null;
  return { ratio, heart, thorax, calibrated: heart.widthMm !== null && thorax.widthMm !== null, projection, note, model: summary.model };
}

/** A line's width as a length: mm when the film gave its pixel spacing, else film pixels. */
export function spanLength(span: FilmSpan): { value: number; unit: "mm" | "px" } {
  return span.widthMm !== null ? { value: span.widthMm, unit: "mm" } : { value: span.widthPx, unit: "px" };
}

export const modelText = (m: MeasuredCtr["model"]) => `${m.name} ${m.version}`.trim();

const ZONE_LABEL = /^(right|left) (upper|middle|lower) zone$/;

/** Where each positive finding's heatmap peak lies (in the order of `positives`); none without zones. */
export function findingZones(summary: AnatomySummary | null | undefined, positives: readonly string[]): { label: string; zone: string | null }[] {
  const zones = summary?.findingZones;
  if (!zones) return [];
  return positives.filter((l) => l in zones).map((label) => ({ label, zone: zones[label] ?? null }));
}

/** "right lower zone" as a patient reads it: "the lower part of the right lung". */
export function zoneForPatient(zone: string | null): string {
  const m = zone ? ZONE_LABEL.exec(zone) : null;
  return m ? `the ${m[2]} part of the ${m[1]} lung` : "outside the outline of the lungs";
}
