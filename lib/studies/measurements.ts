// Lengths and the cardiothoracic ratio of drawn measurements, and the words they are reported in.
// Pure (browser and server): the viewer, the report draft, the PDF and the FHIR export say the same.
import type { Measurement, Point } from "@/lib/core/measurement-types";

/** Millimetres per pixel [row spacing, column spacing], as stored in the DICOM metadata. */
export type PixelSpacing = readonly [number, number] | null | undefined;

export interface Length {
  value: number;
  unit: "mm" | "px";
}

export function segmentLength([a, b]: readonly [Point, Point], spacing: PixelSpacing): Length {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  if (!spacing) return { value: Math.hypot(dx, dy), unit: "px" };
  return { value: Math.hypot(dx * spacing[1], dy * spacing[0]), unit: "mm" };
}

/** Cardiac over thoracic width; the ratio needs no calibration. null for a zero-width thorax. */
export function cardiothoracicRatio(m: Extract<Measurement, { kind: "ctr" }>, spacing: PixelSpacing): number | null {
  const t = segmentLength(m.thoracic, spacing).value;
  return t > 0 ? segmentLength(m.cardiac, spacing).value / t : null;
}

export const formatLength = (l: Length) => (l.unit === "mm" ? `${l.value.toFixed(1)} mm` : `${Math.round(l.value)} px (uncalibrated)`);

/** One line of text, e.g. "Cardiothoracic ratio 0.52 (cardiac 142.0 mm, thoracic 273.0 mm)". */
export function describeMeasurement(m: Measurement, spacing: PixelSpacing): string {
  if (m.kind === "distance") return `Distance ${formatLength(segmentLength(m.line, spacing))}`;
  const ratio = cardiothoracicRatio(m, spacing);
  return `Cardiothoracic ratio ${ratio === null ? "—" : ratio.toFixed(2)} (cardiac ${formatLength(segmentLength(m.cardiac, spacing))}, thoracic ${formatLength(
    segmentLength(m.thoracic, spacing),
  )})`;
}

/**
 * A measurement in a patient's words, or null when there are none to give: a length only when the film
 * gives its pixel spacing (a distance in pixels means nothing to a patient), the heart's size as a
 * plain comparison with the chest.
 */
export function describeMeasurementForPatient(m: Measurement, spacing: PixelSpacing): string | null {
  if (m.kind === "distance") {
    const l = segmentLength(m.line, spacing);
    return l.unit === "mm" ? `A length your radiologist measured on the image: ${(l.value / 10).toFixed(1)} cm` : null;
  }
  const ratio = cardiothoracicRatio(m, spacing);
  return ratio === null ? null : `Width of the heart compared with the width of the chest: ${Math.round(ratio * 100)}% (cardiothoracic ratio ${ratio.toFixed(2)})`;
}

/** The pixel spacing kept in an analysis' metadata, or null ("uncalibrated"). */
export function spacingOf(metadata: Record<string, unknown> | null | undefined): [number, number] | null {
  const s = metadata?.pixelSpacing;
  return Array.isArray(s) && s.length === 2 && s.every((n) => typeof n === "number" && n > 0) ? [s[0], s[1]] : null;
}
