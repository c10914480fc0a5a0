import { DCM, ENGLISH, LOCAL, SCT, UCUM_UNITY, UMLS, type Code } from "./codes";
import { MANUFACTURER, UNTRAINED_WARNING, type ResultContent } from "./result-content";
import type { SourceContext } from "./dicom-file";
import { measurementGroups } from "./sr-measurements";
import { resultUids } from "./uids";

// The content tree of the SR, per TID 1500 (Measurement Report): language, the device as observer
// (and the reviewer once verified), the procedure, the image library with the analysed image, one
// TID 1501 measurement group per finding, and the qualitative evaluations (triage, trained flag,
// warnings, impression). Items are dcmjs naturalized datasets.

type Item = Record<string, unknown>;

const base = (relationship: string, valueType: string, concept: Code): Item => ({
  RelationshipType: relationship,
  ValueType: valueType,
  ConceptNameCodeSequence: [concept],
});

const text = (rel: string, concept: Code, value: string): Item => ({ ...base(rel, "TEXT", concept), TextValue: value.slice(0, 10240) });
const codeItem = (rel: string, concept: Code, value: Code): Item => ({ ...base(rel, "CODE", concept), ConceptCodeSequence: [value] });
const uidref = (rel: string, concept: Code, uid: string): Item => ({ ...base(rel, "UIDREF", concept), UID: uid });
const container = (rel: string, concept: Code, children: Item[]): Item => ({
  ...base(rel, "CONTAINER", concept),
  ContinuityOfContent: "SEPARATE",
  ContentSequence: children,
});
/** DS holds 16 characters: 6 decimals keep the calibrated score well inside 1e-3. */
const num = (rel: string, concept: Code, value: number): Item => ({
  ...base(rel, "NUM", concept),
  MeasuredValueSequence: [{ NumericValue: value.toFixed(6), FloatingPointValue: value, MeasurementUnitsCodeSequence: [UCUM_UNITY] }],
});
const yesNo = (v: boolean) => (v ? SCT.yes : SCT.no);

function observers(content: ResultContent): Item[] {
  const { model } = content;
  const device = [
    codeItem("HAS OBS CONTEXT", DCM.observerType, DCM.device),
    uidref("HAS OBS CONTEXT", DCM.deviceObserverUid, resultUids.device(model)),
    text("HAS OBS CONTEXT", DCM.deviceObserverName, `${model.name} ${model.version}`.slice(0, 64)),
    text("HAS OBS CONTEXT", DCM.deviceObserverManufacturer, MANUFACTURER),
    text("HAS OBS CONTEXT", DCM.deviceObserverModelName, model.name.slice(0, 64)),
  ];
  if (!content.verification) return device;
  return [
    ...device,
    codeItem("HAS OBS CONTEXT", DCM.observerType, DCM.person),
    { ...base("HAS OBS CONTEXT", "PNAME", DCM.personObserverName), PersonName: [{ Alphabetic: content.verification.reviewerName.slice(0, 64) }] },
  ];
}

function measurementGroup(content: ResultContent, index: number): Item {
  const f = content.findings[index];
  return container("CONTAINS", DCM.measurementGroup, [
    text("CONTAINS", DCM.trackingIdentifier, `finding ${index + 1}: ${f.label}`),
    uidref("CONTAINS", DCM.trackingUid, resultUids.tracking(content.analysisId, f.label)),
    codeItem("CONTAINS", DCM.finding, LOCAL.label(f.label)),
    text("HAS CONCEPT MOD", DCM.algorithmName, content.model.name.slice(0, 64)),
    text("HAS CONCEPT MOD", DCM.algorithmVersion, content.model.version.slice(0, 64)),
    num("CONTAINS", LOCAL.calibratedScore, f.calibrated),
    num("CONTAINS", LOCAL.siteThreshold, f.threshold),
    codeItem("CONTAINS", LOCAL.aboveThreshold, yesNo(f.positive)),
  ]);
}

function qualitative(content: ResultContent): Item[] {
  const items = [
    ...(content.triageLevel ? [codeItem("CONTAINS", LOCAL.triageLevel, LOCAL.triage(content.triageLevel))] : []),
    codeItem("CONTAINS", LOCAL.modelTrained, yesNo(content.model.trained)),
    ...(content.model.trained ? [] : [text("CONTAINS", LOCAL.modelWarning, UNTRAINED_WARNING)]),
    ...content.qualityWarnings.map((w) => text("CONTAINS", LOCAL.qualityWarning, w)),
  ];
  const impression = content.verification?.impression.trim();
  if (impression) items.push(text("CONTAINS", DCM.impression, impression));
  return items;
}

export function measurementReport(content: ResultContent, source: SourceContext): Item[] {
  const image: Item = {
    ...base("CONTAINS", "IMAGE", DCM.sourceImage),
    ReferencedSOPSequence: [{ ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: source.sopInstanceUid }],
  };
  return [
    codeItem("HAS CONCEPT MOD", DCM.languageOfContent, ENGLISH),
    ...observers(content),
    codeItem("HAS CONCEPT MOD", DCM.procedureReported, SCT.chestXray),
    container("CONTAINS", DCM.imageLibrary, [container("CONTAINS", DCM.imageLibraryGroup, [image])]),
    container(
      "CONTAINS",
      DCM.imagingMeasurements,
      [
        ...content.findings.map((_, i) => measurementGroup(content, i)),
        ...measurementGroups(content.analysisId, content.verification?.measurements ?? [], content.verification?.pixelSpacing),
      ],
    ),
    container("CONTAINS", UMLS.qualitativeEvaluations, qualitative(content)),
  ];
}
