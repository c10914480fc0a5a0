// FHIR R4 export of a signed-off analysis: a collection Bundle with one DiagnosticReport, one
// Observation per model finding (calibrated score as valueQuantity, the AI call as interpretation),
// an Observation per finding the radiologist added, the model as a Device and the reviewer as the
// performing Practitioner. Pure: built from ReportData, so the schema test needs no server.
import crypto from "node:crypto";
import { NOT_ASSESSED } from "@/lib/core/finding-score";
import type { ReportData } from "@/lib/reports/report-data";
import { TRIAGE_LABEL } from "@/lib/triage/rules";
import { displayLabel, findingCodings, LOCAL_SCORES, LOCAL_TRIAGE, REPORT_CODE, UCUM } from "./codes";
import { measurementObservation } from "./measurements";
import { softwareCtrResources } from "./software-ctr";

type Json = Record<string, unknown>;

const DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason";

/** Name-based UUID (SHA-256, version bits 8): exporting the same analysis twice gives the same ids. */
export function stableUuid(name: string): string {
  const h = crypto.createHash("sha256").update(name).digest();
  h[6] = (h[6] & 0x0f) | 0x80;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** DICOM DA "YYYYMMDD" (or an ISO date) to a FHIR date; anything else is left out rather than guessed. */
export function fhirDate(value: string | null): string | null {
  if (!value) return null;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

const round = (v: number) => Math.round(v * 1e4) / 1e4;
const score = (value: number, unit: string) => ({ value: round(value), unit, system: UCUM, code: "1" });

const interpretation = (positive: boolean) => [
  {
    coding: [
      {
        system: "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
        code: positive ? "POS" : "NEG",
        display: positive ? "Positive" : "Negative",
      },
    ],
  },
];

const imagingCategory = [
  { coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "imaging", display: "Imaging" }] },
];

export function buildFhirBundle(report: ReportData, now = new Date()): Json {
  const { analysis, review } = report;
  const base = `cxr-platform/analysis/${analysis.id}/review/${review.version}`;
  const ids = {
    bundle: stableUuid(`${base}/bundle`),
    report: stableUuid(`${base}/report`),
    practitioner: stableUuid(`practitioner/${review.reviewer.id}`),
    device: stableUuid(`device/${analysis.model.name}/${analysis.model.version}/${analysis.model.trained}`),
  };
  const ref = (id: string) => `urn:uuid:${id}`;
  const reviewerName = review.reviewer.name || review.reviewer.email;
  const performer = { reference: ref(ids.practitioner), display: reviewerName };
  const effective = fhirDate(analysis.studyDate) ?? analysis.createdAt.toISOString();
  const issued = review.signedOffAt.toISOString();
  const status = review.version > 1 ? "amended" : "final";

  const practitioner: Json = {
    resourceType: "Practitioner",
    id: ids.practitioner,
    identifier: [{ system: "urn:ietf:rfc:3986", value: ref(review.reviewer.id) }],
    name: [{ text: reviewerName }],
    telecom: [{ system: "email", value: review.reviewer.email }],
  };

  const trained = analysis.model.trained;
  const device: Json = {
    resourceType: "Device",
    id: ids.device,
    deviceName: [{ name: analysis.model.name ?? "unknown model", type: "model-name" }],
    type: { text: "Chest radiograph classification software (AI)" },
    ...(analysis.model.version ? { version: [{ value: analysis.model.version }] } : {}),
    note: [
      {
        text:
          trained === false
            ? "Untrained demonstration weights: scores and heatmaps carry no medical meaning."
            : trained
              ? "Trained model."
              : "Training status unknown.",
      },
    ],
  };

  const modelObservations = report.findings.map((f) => {
    const decision = review.decisions[f.label];
    const id = stableUuid(`${base}/finding/${f.label}`);
    const observation: Json = {
      resourceType: "Observation",
      id,
      status,
      category: imagingCategory,
      code: { coding: findingCodings(f.label), text: displayLabel(f.label) },
      effectiveDateTime: effective,
      issued,
      // A label the model gives no score for says so (data-absent-reason), never op_norm's 0.5.
      ...(f.calibrated === null
        ? {
            dataAbsentReason: { coding: [{ system: DATA_ABSENT_REASON, code: "not-performed", display: "Not Performed" }], text: NOT_ASSESSED },
            method: { text: `AI model: ${NOT_ASSESSED} (its release has no operating point for this finding)` },
            device: { reference: ref(ids.device) },
          }
        : {
            valueQuantity: score(f.calibrated, "calibrated score"),
            interpretation: interpretation(f.positive),
            method: { text: "AI model score, calibrated so that 0.5 is the model's operating point" },
            device: { reference: ref(ids.device) },
            component: [
              {
                code: { coding: [{ system: LOCAL_SCORES, code: "probability", display: "Uncalibrated model probability" }] },
                valueQuantity: score(f.probability, "probability"),
              },
            ],
          }),
      ...(decision
        ? { note: [{ text: `Radiologist ${decision === "agree" ? "agrees with" : "disagrees with"} the AI call.` }] }
        : {}),
    };
    return { id, resource: observation };
  });

  const known = new Set(report.findings.map((f) => f.label));
  const addedObservations = review.addedFindings.map((name) => {
    const id = stableUuid(`${base}/added/${name}`);
    const resource: Json = {
      resourceType: "Observation",
      id,
      status,
      category: imagingCategory,
      code: known.has(name) ? { coding: findingCodings(name), text: displayLabel(name) } : { text: name },
      effectiveDateTime: effective,
      issued,
      performer: [performer],
      valueBoolean: true,
      note: [{ text: "Finding added by the radiologist (not called by the AI)." }],
    };
    return { id, resource };
  });

  const measurementObservations = review.measurements.map((m, i) => {
    const id = stableUuid(`${base}/measurement/${i}`);
    return { id, resource: measurementObservation(m, analysis.pixelSpacing, { id, status, effective, issued, performer }) };
  });

  const software = softwareCtrResources(report, { base, uuid: stableUuid, status, effective, issued });
  const softwareObservations = software ? [software.observation] : [];

  const observations = [...modelObservations, ...addedObservations, ...measurementObservations, ...softwareObservations];
  const diagnosticReport: Json = {
    resourceType: "DiagnosticReport",
    id: ids.report,
    identifier: [
      { system: "urn:ietf:rfc:3986", value: ref(analysis.id) },
      ...(analysis.accessionNumber
        ? [
            {
              type: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0203", code: "ACSN", display: "Accession ID" }] },
              value: analysis.accessionNumber,
            },
          ]
        : []),
    ],
    status,
    category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0074", code: "RAD", display: "Radiology" }] }],
    code: { coding: [REPORT_CODE], text: "Chest radiograph, AI-assisted, radiologist-reviewed" },
    effectiveDateTime: effective,
    issued,
    performer: [performer],
    resultsInterpreter: [performer],
    result: observations.map((o) => ({ reference: ref(o.id) })),
    // The study itself lives in a PACS: refer to it by its DICOM Study Instance UID, as FHIR advises.
    ...(analysis.studyInstanceUid
      ? {
          imagingStudy: [
            {
              type: "ImagingStudy",
              identifier: { system: "urn:dicom:uid", value: `urn:oid:${analysis.studyInstanceUid}` },
            },
          ],
        }
      : {}),
    ...(review.impression.trim() ? { conclusion: review.impression.trim() } : {}),
    ...(analysis.triageLevel
      ? {
          conclusionCode: [
            {
              coding: [{ system: LOCAL_TRIAGE, code: analysis.triageLevel, display: TRIAGE_LABEL[analysis.triageLevel] }],
              text: `AI triage level: ${TRIAGE_LABEL[analysis.triageLevel]}`,
            },
          ],
        }
      : {}),
  };

  const entry = [
    { fullUrl: ref(ids.report), resource: diagnosticReport },
    ...observations.map((o) => ({ fullUrl: ref(o.id), resource: o.resource })),
    { fullUrl: ref(ids.practitioner), resource: practitioner },
    { fullUrl: ref(ids.device), resource: device },
    ...(software ? [{ fullUrl: ref(software.device.id), resource: software.device.resource }] : []),
  ];
  return {
    resourceType: "Bundle",
    id: ids.bundle,
    identifier: { system: "urn:ietf:rfc:3986", value: ref(ids.bundle) },
    type: "collection",
    timestamp: now.toISOString(),
    entry,
  };
}
