import { dicomDateTime, writeDicomFile, type SourceContext } from "./dicom-file";
import { equipmentModules } from "./equipment";
import type { ResultContent } from "./result-content";
import type { WrittenInstance } from "./sr-document";
import { scSeries } from "./series-layout";
import { resultUids } from "./uids";

// A Secondary Capture Image (PS3.3 A.8.1) per positive finding, in the source's study: the fallback
// of IHE AI Results for viewers that cannot show SR. 8-bit RGB, annotation burnt in.

export const SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";

export function writeSecondaryCapture(
  content: ResultContent,
  source: SourceContext,
  /** `instance`: 1-based among the analysis's captures, so a viewer numbers them 1..n. */
  finding: { label: string; calibrated: number; threshold: number; instance: number },
  pixels: { rgb: Buffer; width: number; height: number },
  now = new Date(),
): WrittenInstance {
  const written = dicomDateTime(now);
  const analysed = dicomDateTime(content.analysedAt);
  const sopInstanceUid = resultUids.sc(content.analysisId, finding.label);
  const series = scSeries(content, source);
  const seriesInstanceUid = series.seriesInstanceUid;
  const name = finding.label.replace(/_/g, " ");
  const caption = `AI heatmap: ${name} ${finding.calibrated.toFixed(2)} (site threshold ${finding.threshold.toFixed(2)})`;
  const dataset: Record<string, unknown> = {
    SpecificCharacterSet: "ISO_IR 192",
    SOPClassUID: SECONDARY_CAPTURE,
    SOPInstanceUID: sopInstanceUid,
    InstanceCreationDate: written.date,
    InstanceCreationTime: written.time,
    TimezoneOffsetFromUTC: "+0000",
    ...source.patientStudy,
    Modality: "OT",
    SeriesInstanceUID: seriesInstanceUid,
    SeriesNumber: series.seriesNumber,
    // Chest is unpaired: with the body part named, Laterality (2C) is rightly absent.
    BodyPartExamined: "CHEST",
    SeriesDescription: series.seriesDescription,
    PatientOrientation: "",
    ...equipmentModules(content, written.dateTime),
    ConversionType: "WSD",
    InstanceNumber: finding.instance,
    ContentDate: analysed.date,
    ContentTime: analysed.time,
    ImageType: ["DERIVED", "SECONDARY"],
    DerivationDescription: `Heatmap of ${name} (class activation map, score ${finding.calibrated.toFixed(2)}) over the source image`.slice(0, 1024),
    SourceImageSequence: [{ ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: source.sopInstanceUid }],
    BurnedInAnnotation: "YES",
    ImageComments: content.model.trained ? caption : `UNTRAINED MODEL - NOT FOR DIAGNOSIS. ${caption}`,
    SamplesPerPixel: 3,
    PhotometricInterpretation: "RGB",
    PlanarConfiguration: 0,
    Rows: pixels.height,
    Columns: pixels.width,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    PixelData: [pixels.rgb.buffer.slice(pixels.rgb.byteOffset, pixels.rgb.byteOffset + pixels.rgb.byteLength)],
    _vrMap: { PixelData: "OB" },
  };
  return { sopClassUid: SECONDARY_CAPTURE, sopInstanceUid, seriesInstanceUid, studyInstanceUid: source.studyInstanceUid, bytes: writeDicomFile(dataset) };
}
