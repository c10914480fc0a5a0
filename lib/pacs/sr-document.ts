import { DCM, LOCAL_SCHEME_IDENTIFICATION } from "./codes";
import { dicomDateTime, writeDicomFile, type SourceContext } from "./dicom-file";
import { equipmentModules } from "./equipment";
import type { ResultContent } from "./result-content";
import { measurementReport } from "./sr-content";
import { srSeries } from "./series-layout";
import { resultUids } from "./uids";

// The AI result as a Comprehensive 3D SR (IHE AIR, TID 1500) in the source's study, in a series of
// its own. UNVERIFIED as the model wrote it; once a radiologist signs off, a new instance, VERIFIED,
// names the reviewer and carries the impression, and points back at the unverified one.

export const COMPREHENSIVE_3D_SR = "1.2.840.10008.5.1.4.1.1.88.34";

export interface WrittenInstance {
  sopClassUid: string;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  studyInstanceUid: string;
  bytes: Buffer;
}

export function writeStructuredReport(content: ResultContent, source: SourceContext, now = new Date()): WrittenInstance {
  const written = dicomDateTime(now);
  const analysed = dicomDateTime(content.analysedAt);
  const v = content.verification;
  const sopInstanceUid = resultUids.sr(content.analysisId, v?.reviewVersion ?? null);
  const series = srSeries(content, source);
  const seriesInstanceUid = series.seriesInstanceUid;
  const evidence = [
    {
      StudyInstanceUID: source.studyInstanceUid,
      ReferencedSeriesSequence: [
        {
          SeriesInstanceUID: source.seriesInstanceUid,
          ReferencedSOPSequence: [{ ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: source.sopInstanceUid }],
        },
      ],
    },
  ];
  const dataset: Record<string, unknown> = {
    SpecificCharacterSet: "ISO_IR 192",
    SOPClassUID: COMPREHENSIVE_3D_SR,
    SOPInstanceUID: sopInstanceUid,
    InstanceCreationDate: written.date,
    InstanceCreationTime: written.time,
    TimezoneOffsetFromUTC: "+0000",
    ...source.patientStudy,
    Modality: "SR",
    SeriesInstanceUID: seriesInstanceUid,
    SeriesNumber: series.seriesNumber,
    SeriesDescription: series.seriesDescription,
    ReferencedPerformedProcedureStepSequence: [],
    ...equipmentModules(content, written.dateTime),
    // Alone in its series.
    InstanceNumber: 1,
    CompletionFlag: "COMPLETE",
    VerificationFlag: v ? "VERIFIED" : "UNVERIFIED",
    ContentDate: analysed.date,
    ContentTime: analysed.time,
    PerformedProcedureCodeSequence: [],
    CurrentRequestedProcedureEvidenceSequence: evidence,
    CodingSchemeIdentificationSequence: [LOCAL_SCHEME_IDENTIFICATION],
    ValueType: "CONTAINER",
    ConceptNameCodeSequence: [DCM.imagingMeasurementReport],
    ContinuityOfContent: "SEPARATE",
    ContentTemplateSequence: [{ MappingResource: "DCMR", TemplateIdentifier: "1500" }],
    ContentSequence: measurementReport(content, source),
  };
  if (v) {
    const previous = v.reviewVersion > 1 ? v.reviewVersion - 1 : null;
    const signed = dicomDateTime(v.signedOffAt);
    dataset.VerifyingObserverSequence = [
      {
        VerifyingObserverName: [{ Alphabetic: v.reviewerName.slice(0, 64) }],
        VerifyingObserverIdentificationCodeSequence: [],
        VerifyingOrganization: "Radiology",
        VerificationDateTime: signed.dateTime,
      },
    ];
    dataset.PredecessorDocumentsSequence = [
      {
        StudyInstanceUID: source.studyInstanceUid,
        ReferencedSeriesSequence: [
          {
            SeriesInstanceUID: resultUids.srSeries(content.analysisId, previous),
            ReferencedSOPSequence: [
              {
                ReferencedSOPClassUID: COMPREHENSIVE_3D_SR,
                ReferencedSOPInstanceUID: resultUids.sr(content.analysisId, previous),
              },
            ],
          },
        ],
      },
    ];
  }
  return { sopClassUid: COMPREHENSIVE_3D_SR, sopInstanceUid, seriesInstanceUid, studyInstanceUid: source.studyInstanceUid, bytes: writeDicomFile(dataset) };
}
