import { formatScore, NOT_ASSESSED } from "@/lib/core/finding-score";
import { DCM, ENGLISH, LOCAL, SCT, UCUM_UNITY, UMLS } from "./codes";
import { MANUFACTURER, UNTRAINED_WARNING, type ResultContent, type ResultFinding } from "./result-content";
import type { SourceContext } from "./dicom-file";
import { findingRegion } from "./sr-finding-region";
import { planarMeasurementGroup } from "./sr-geometry";
import { base, codeItem, container, num, text, uidref, type Item } from "./sr-items";
import { measurementGroups, measurementSummary } from "./sr-measurements";
import { softwareCtrGroups, softwareCtrSummary } from "./sr-software-ctr";
import { resultUids } from "./uids";

// The content tree of the SR, per TID 1500 (Measurement Report): language, the device as observer
// (and the reviewer once verified), the procedure, the image library with the analysed image, the
// imaging measurements, and the qualitative evaluations.
//
// Viewers draw every measurement group and drop the whole report when one has no geometry (OHIF does),
// so the Imaging Measurements hold only what has a place on the film: each positive finding's heatmap
// outline, and the radiologist's lines. Every one of the model's scores (with its threshold, its
// verdict and the algorithm) is a report-level qualitative evaluation, where no geometry is expected.

const yesNo = (v: boolean) => (v ? SCT.yes : SCT.no);
const algorithmOf = (content: ResultContent) => [
  text("HAS CONCEPT MOD", DCM.algorithmName, content.model.name.slice(0, 64)),
  text("HAS CONCEPT MOD", DCM.algorithmVersion, content.model.version.slice(0, 64)),
];

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

/** What a viewer shows beside a finding's outline: never a bare diagnosis, and untrained said so. */
export function findingLabel(f: Pick<ResultFinding, "label" | "calibrated">, trained: boolean): string {
  return `${f.label.replace(/_/g, " ")} (AI${trained ? "" : ", UNTRAINED MODEL"}) ${formatScore(f.calibrated)}`;
}

function findingGroups(content: ResultContent, source: SourceContext): Item[] {
  return content.findings.flatMap((f) => {
    if (!f.positive || !f.cam) return [];
    const region = findingRegion(f.cam, content.camSide, source, content.pixelSpacing);
    if (!region) return [];
    return [
      planarMeasurementGroup(
        {
          shape: "region",
          points: region.points,
          label: findingLabel(f, content.model.trained),
          trackingUid: resultUids.tracking(content.analysisId, f.label),
          value: region.area,
          unit: region.unit,
          finding: LOCAL.label(f.label),
          algorithm: content.model,
        },
        source,
      ),
    ];
  });
}

/**
 * One finding's score as the model gave it: coded finding with its properties and the algorithm. A
 * label the model did not assess carries that statement instead of a score.
 */
function findingScore(content: ResultContent, f: ResultFinding): Item {
  return codeItem("CONTAINS", DCM.finding, LOCAL.label(f.label), [
    ...algorithmOf(content),
    f.calibrated === null
      ? text("HAS PROPERTIES", LOCAL.notAssessed, NOT_ASSESSED)
      : num("HAS PROPERTIES", LOCAL.calibratedScore, f.calibrated, UCUM_UNITY),
    num("HAS PROPERTIES", LOCAL.siteThreshold, f.threshold, UCUM_UNITY),
    codeItem("HAS PROPERTIES", LOCAL.aboveThreshold, yesNo(f.positive)),
  ]);
}

function qualitative(content: ResultContent): Item[] {
  const items = [
    ...(content.triageLevel ? [codeItem("CONTAINS", LOCAL.triageLevel, LOCAL.triage(content.triageLevel))] : []),
    codeItem("CONTAINS", LOCAL.modelTrained, yesNo(content.model.trained)),
    ...(content.model.trained ? [] : [text("CONTAINS", LOCAL.modelWarning, UNTRAINED_WARNING)]),
    ...content.qualityWarnings.map((w) => text("CONTAINS", LOCAL.qualityWarning, w)),
    ...content.findings.map((f) => findingScore(content, f)),
    ...measurementSummary(content.verification?.measurements ?? [], content.pixelSpacing),
    ...softwareCtrSummary(content),
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
    container("CONTAINS", DCM.imagingMeasurements, [
      ...findingGroups(content, source),
      ...measurementGroups(content.analysisId, content.verification?.measurements ?? [], content.pixelSpacing, source),
      ...softwareCtrGroups(content, source),
    ]),
    container("CONTAINS", UMLS.qualitativeEvaluations, qualitative(content)),
  ];
}
