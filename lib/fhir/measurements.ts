// Measurements of the signed-off review as FHIR Observations: a distance as a length, a cardiothoracic
// ratio as a dimensionless value with the cardiac and thoracic widths as components. Lengths are in mm
// when the film gave a pixel spacing, else in pixels with a note that they are uncalibrated.
import type { Measurement } from "@/lib/core/measurement-types";
import { cardiothoracicRatio, segmentLength, type Length, type PixelSpacing } from "@/lib/studies/measurements";
import { UCUM } from "./codes";

type Json = Record<string, unknown>;

export const LOCAL_MEASUREMENTS = "urn:cxr-platform:fhir:CodeSystem:measurement";

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

export function lengthQuantity(l: Length): Json {
  return l.unit === "mm"
    ? { value: round(l.value, 1), unit: "mm", system: UCUM, code: "mm" }
    : { value: Math.round(l.value), unit: "pixels (uncalibrated)", system: UCUM, code: "{pixels}" };
}

export const coding = (code: string, display: string) => ({ coding: [{ system: LOCAL_MEASUREMENTS, code, display }], text: display });

export function measurementObservation(
  m: Measurement,
  spacing: PixelSpacing,
  ctx: { id: string; status: string; effective: string; issued: string; performer: Json },
): Json {
  const common = {
    resourceType: "Observation",
    id: ctx.id,
    status: ctx.status,
    category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "imaging", display: "Imaging" }] }],
    effectiveDateTime: ctx.effective,
    issued: ctx.issued,
    performer: [ctx.performer],
    method: { text: spacing ? "Measured on the radiograph by the radiologist, with the file's pixel spacing." : "Measured on the radiograph by the radiologist; the file gave no pixel spacing (uncalibrated)." },
  };
  if (m.kind === "distance") return { ...common, code: coding("distance", "Distance"), valueQuantity: lengthQuantity(segmentLength(m.line, spacing)) };
  const ratio = cardiothoracicRatio(m, spacing);
  return {
    ...common,
    code: coding("cardiothoracic-ratio", "Cardiothoracic ratio"),
    ...(ratio === null ? { dataAbsentReason: { text: "Thoracic width is zero." } } : { valueQuantity: { value: round(ratio, 3), unit: "ratio", system: UCUM, code: "1" } }),
    component: [
      { code: coding("cardiac-width", "Cardiac width"), valueQuantity: lengthQuantity(segmentLength(m.cardiac, spacing)) },
      { code: coding("thoracic-width", "Thoracic width"), valueQuantity: lengthQuantity(segmentLength(m.thoracic, spacing)) },
    ],
  };
}
