// The software-measured cardiothoracic ratio as a FHIR Observation: the anatomy model is its Device (an
// algorithm, not a person, so no performer), the method says it is a software measurement, and it is
// derived from the imaging study. No LOINC term for a cardiothoracic ratio on a radiograph was found, so
// the code is the same local one as the radiologist's ratio: a receiver tells the two apart by method and
// device. Pure.
import { MEASURED_BY_SOFTWARE, measuredCtr, modelText, spanLength, UNTRAINED_ANATOMY } from "@/lib/anatomy/measured-ctr";
import type { ReportData } from "@/lib/reports/report-data";
import { UCUM } from "./codes";
import { coding, lengthQuantity } from "./measurements";

type Json = Record<string, unknown>;

const imagingCategory = [
  { coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "imaging", display: "Imaging" }] },
];

export interface SoftwareCtrContext {
  /** The report's name space for stable ids, and the bundle's name-based UUID. */
  base: string;
  uuid: (name: string) => string;
  status: string;
  effective: string;
  issued: string;
}

/** The anatomy model's Device and the ratio's Observation, or null when no ratio is reported. */
type Entry = { id: string; resource: Json };

export function softwareCtrResources(report: ReportData, ctx: SoftwareCtrContext): { device: Entry; observation: Entry } | null {
  const { analysis } = report;
  const nonFrontal = analysis.warnings.some((w) => w.code === "non_frontal_view");
  const ctr = measuredCtr(report.anatomy, { viewPosition: analysis.viewPosition, nonFrontal });
  if (!ctr) return null;
  const deviceId = ctx.uuid(`device/${ctr.model.name}/${ctr.model.version}/${ctr.model.trained}`);
  const id = ctx.uuid(`${ctx.base}/software/cardiothoracic-ratio`);
  const device: Json = {
    resourceType: "Device",
    id: deviceId,
    deviceName: [{ name: ctr.model.name, type: "model-name" }],
    type: { text: "Chest radiograph anatomy segmentation and measurement software (AI)" },
    version: [{ value: ctr.model.version }],
    note: [{ text: ctr.model.trained ? "Trained model." : `${UNTRAINED_ANATOMY}.` }],
  };
  const note = ctr.note;
  const observation: Json = {
    resourceType: "Observation",
    id,
    status: ctx.status,
    category: imagingCategory,
    code: coding("cardiothoracic-ratio", "Cardiothoracic ratio"),
    effectiveDateTime: ctx.effective,
    issued: ctx.issued,
    valueQuantity: { value: Math.round(ctr.ratio * 1000) / 1000, unit: "ratio", system: UCUM, code: "1" },
    method: {
      text: `Software measurement: ${MEASURED_BY_SOFTWARE} (${modelText(ctr.model)}) on the heart and lung outlines, not drawn by a person${
        ctr.calibrated ? "" : "; the file gave no pixel spacing (widths uncalibrated)"
      }.`,
    },
    device: { reference: `urn:uuid:${deviceId}`, display: modelText(ctr.model) },
    derivedFrom: [
      analysis.studyInstanceUid
        ? { type: "ImagingStudy", identifier: { system: "urn:dicom:uid", value: `urn:oid:${analysis.studyInstanceUid}` } }
        : { display: "The analysed chest radiograph (uploaded image, no DICOM study)" },
    ],
    component: [
      { code: coding("cardiac-width", "Cardiac width"), valueQuantity: lengthQuantity(spanLength(ctr.heart)) },
      { code: coding("thoracic-width", "Thoracic width"), valueQuantity: lengthQuantity(spanLength(ctr.thorax)) },
    ],
    ...(note || !ctr.model.trained ? { note: [...(note ? [{ text: note }] : []), ...(ctr.model.trained ? [] : [{ text: `${UNTRAINED_ANATOMY}.` }])] } : {}),
  };
  return { device: { id: deviceId, resource: device }, observation: { id, resource: observation } };
}
