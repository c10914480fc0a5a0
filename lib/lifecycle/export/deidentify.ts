// De-identification of a DICOM film for research (PS3.15 Annex E, Basic Application Level
// Confidentiality Profile) with two of its options, written down in every file:
//   - Retain Longitudinal Temporal Information with Modified Dates: every date moves by one offset per
//     export (whole days, into the past), so intervals between a patient's films survive;
//   - Retain Patient Characteristics: sex and age stay (they matter to a chest film's reading).
// It works by allow-list rather than by the profile's list of what to remove: an attribute is kept only
// when it describes the image (pixel module, geometry, acquisition, codes); identifiers that an IOD
// requires are kept empty or replaced by the export's pseudonym; every UID is replaced by a new one
// derived from the export's secret salt (the same old UID gives the same new one within an export);
// private attributes, free text, sequences other than codes, overlays and icons go. Pixel data are kept
// as stored: a film marked with burned-in annotation is refused, since its pixels may show a name.
import { derivedUid } from "@/lib/pacs/uids";
import { EXPLICIT_VR_LITTLE_ENDIAN, readDicomFile, writeDicomFile, type Dataset } from "@/lib/pacs/dicom-file";

/** Attributes that describe the image, kept as they are. */
const KEEP = new Set([
  "SpecificCharacterSet",
  "ImageType",
  "SOPClassUID",
  "Modality",
  "ConversionType",
  "PresentationIntentType",
  "BodyPartExamined",
  "ViewPosition",
  "PatientOrientation",
  "Laterality",
  "ImageLaterality",
  "Manufacturer",
  "ManufacturerModelName",
  "SeriesNumber",
  "InstanceNumber",
  "StudyTime",
  "SeriesTime",
  "ContentTime",
  "AcquisitionTime",
  "PatientSex",
  "PatientAge",
  "SamplesPerPixel",
  "PhotometricInterpretation",
  "Rows",
  "Columns",
  "BitsAllocated",
  "BitsStored",
  "HighBit",
  "PixelRepresentation",
  "PlanarConfiguration",
  "NumberOfFrames",
  "PixelData",
  "PixelSpacing",
  "ImagerPixelSpacing",
  "PixelAspectRatio",
  "PixelSpacingCalibrationType",
  "EstimatedRadiographicMagnificationFactor",
  "DistanceSourceToDetector",
  "DistanceSourceToPatient",
  "KVP",
  "ExposureTime",
  "XRayTubeCurrent",
  "Exposure",
  "ExposureInuAs",
  "DetectorType",
  "Grid",
  "WindowCenter",
  "WindowWidth",
  "WindowCenterWidthExplanation",
  "VOILUTFunction",
  "RescaleIntercept",
  "RescaleSlope",
  "RescaleType",
  "PresentationLUTShape",
  "LossyImageCompression",
  "LossyImageCompressionRatio",
  "LossyImageCompressionMethod",
  "SmallestImagePixelValue",
  "LargestImagePixelValue",
  "PixelIntensityRelationship",
  "PixelIntensityRelationshipSign",
  "BurnedInAnnotation",
  "RecognizableVisualFeatures",
  "PositionerType",
  "PatientPosition",
  "FieldOfViewShape",
  "FieldOfViewDimensions",
  "CollimatorShape",
  "Sensitivity",
  "RelativeXRayExposure",
  "VOILUTSequence",
  "_vrMap",
]);

/** Code sequences kept with their codes only. */
const CODE_SEQUENCES = new Set(["ViewCodeSequence", "AnatomicRegionSequence", "ViewModifierCodeSequence", "PatientOrientationCodeSequence", "AcquisitionContextSequence"]);
const CODE_FIELDS = ["CodeValue", "CodingSchemeDesignator", "CodingSchemeVersion", "CodeMeaning"];

/** Type 2 attributes of the Patient and General Study modules: present, empty (Annex E "Z"). */
const EMPTY = ["PatientBirthDate", "ReferringPhysicianName", "StudyID", "AccessionNumber"];

/** Type 2 attributes of the image IODs: written empty when the source lacks them (present, unknown). */
const TYPE_2_IMAGE = ["StudyTime", "SeriesNumber", "InstanceNumber", "Manufacturer"];

/** Dates (DA) an IOD may require: moved by the export's offset (Annex E "D", under the option). */
const DATES = ["StudyDate", "SeriesDate", "ContentDate", "AcquisitionDate"];

/** Implicit VR and deflated files are written as explicit VR little endian (same values; big endian stays as it is). */
const NATIVE = new Set(["1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1.99"]);

export interface ExportKey {
  /** Secret of this export: new UIDs derive from it, so nothing outside the export can map them back. */
  salt: string;
  /** Whole days every date moves (negative: into the past). */
  dayShift: number;
}

export class NotExportableError extends Error {}

function shiftDate(value: unknown, days: number): string | undefined {
  const text = typeof value === "string" ? value : Array.isArray(value) && typeof value[0] === "string" ? value[0] : "";
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + days * 86_400_000);
  return d.toISOString().slice(0, 10).replaceAll("-", "");
}

function codesOnly(items: unknown): Dataset[] | undefined {
  if (!Array.isArray(items)) return undefined;
  return items.map((item: Dataset) => Object.fromEntries(CODE_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]])));
}

/**
 * `bytes` (a Part 10 file) de-identified, with `pseudonym` as its Patient ID and name. Refuses a film
 * whose pixels may carry burned-in identifiers.
 */
export function deidentifyDicom(bytes: Uint8Array, key: ExportKey, pseudonym: string): Buffer {
  const { dataset: source, transferSyntaxUid } = readDicomFile(bytes);
  if (String(source.BurnedInAnnotation ?? "").toUpperCase() === "YES") {
    throw new NotExportableError("its pixels carry burned-in annotation (which may show the patient's name)");
  }
  const out: Dataset = {};
  for (const [name, value] of Object.entries(source)) {
    if (KEEP.has(name)) out[name] = value;
    else if (CODE_SEQUENCES.has(name)) out[name] = codesOnly(value);
  }
  const newUid = (name: string) => (typeof source[name] === "string" && source[name] ? derivedUid("export", key.salt, name, source[name] as string) : undefined);
  out.StudyInstanceUID = newUid("StudyInstanceUID") ?? derivedUid("export", key.salt, "study", pseudonym);
  out.SeriesInstanceUID = newUid("SeriesInstanceUID") ?? derivedUid("export", key.salt, "series", pseudonym);
  out.SOPInstanceUID = newUid("SOPInstanceUID");
  if (!out.SOPInstanceUID || !out.SOPClassUID) throw new NotExportableError("it has no SOP Class or SOP Instance UID");
  for (const name of EMPTY) out[name] = "";
  for (const name of DATES) {
    const shifted = shiftDate(source[name], key.dayShift);
    if (shifted) out[name] = shifted;
  }
  out.StudyDate ??= "";
  out.PatientSex ??= "";
  for (const name of TYPE_2_IMAGE) out[name] ??= "";
  out.PatientName = pseudonym;
  out.PatientID = pseudonym;
  out.PatientIdentityRemoved = "YES";
  out.DeidentificationMethod = "PS3.15 E.1 Basic Profile, options 113107 113108";
  out.DeidentificationMethodCodeSequence = [
    { CodeValue: "113100", CodingSchemeDesignator: "DCM", CodeMeaning: "Basic Application Confidentiality Profile" },
    { CodeValue: "113107", CodingSchemeDesignator: "DCM", CodeMeaning: "Retain Longitudinal Temporal Information Modified Dates Option" },
    { CodeValue: "113108", CodingSchemeDesignator: "DCM", CodeMeaning: "Retain Patient Characteristics Option" },
  ];
  out.LongitudinalTemporalInformationModified = "MODIFIED";
  return writeDicomFile(out, NATIVE.has(transferSyntaxUid) ? EXPLICIT_VR_LITTLE_ENDIAN : transferSyntaxUid);
}
