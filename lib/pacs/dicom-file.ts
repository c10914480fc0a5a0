import dcmjs from "dcmjs";

// Reading the source's context and writing Part 10 files, both through dcmjs. The patient and study
// modules are read from the stored original each time a result is written and go straight into the
// output file: the database never holds them (it has no patient name or ID column at all).

const { DicomMessage, DicomMetaDictionary, DicomDict } = dcmjs.data;

export type Dataset = Record<string, unknown>;

export const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
const IMPLEMENTATION_CLASS_UID = "2.25.268302914370357316497361722431302532785";
const IMPLEMENTATION_VERSION = "CXRASSIST1";

/** Patient, Patient Study and General Study attributes: copied as they are, type 2 ones kept when empty. */
const PATIENT_STUDY_KEYWORDS = [
  "PatientName",
  "PatientID",
  "IssuerOfPatientID",
  "PatientBirthDate",
  "PatientBirthTime",
  "PatientSex",
  "OtherPatientIDsSequence",
  "PatientAge",
  "PatientSize",
  "PatientWeight",
  "StudyInstanceUID",
  "StudyDate",
  "StudyTime",
  "ReferringPhysicianName",
  "StudyID",
  "AccessionNumber",
  "IssuerOfAccessionNumberSequence",
  "StudyDescription",
] as const;
const TYPE_2 = ["PatientName", "PatientID", "PatientBirthDate", "PatientSex", "StudyDate", "StudyTime", "ReferringPhysicianName", "StudyID", "AccessionNumber"];

export interface SourceContext {
  /** Patient and study modules of the original, to be written into the result unchanged. */
  patientStudy: Dataset;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopClassUid: string;
  sopInstanceUid: string;
  modality: string;
  /** Size of the analysed image, for drawing on it in its own pixel coordinates. */
  rows: number;
  columns: number;
  /** View Position (PA, AP, LL, ...), empty when the file does not say. */
  viewPosition: string;
}

export class NotDicomSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotDicomSourceError";
  }
}

function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** A whole Part 10 file as a naturalized dataset, with its transfer syntax. */
export function readDicomFile(bytes: Uint8Array): { dataset: Dataset; transferSyntaxUid: string } {
  try {
    const file = DicomMessage.readFile(arrayBufferOf(bytes));
    return { dataset: DicomMetaDictionary.naturalizeDataset(file.dict), transferSyntaxUid: stringOf(DicomMetaDictionary.naturalizeDataset(file.meta).TransferSyntaxUID) };
  } catch (error) {
    throw new NotDicomSourceError(`not a readable DICOM file (${(error as Error).message?.slice(0, 80) ?? "unknown"})`);
  }
}

/** The header of a Part 10 file as a naturalized dataset (pixel data not read). */
export function readDicomHeader(bytes: Uint8Array): Dataset {
  try {
    const file = DicomMessage.readFile(arrayBufferOf(bytes), { untilTag: "7FE00010", includeUntilTagValue: false });
    return DicomMetaDictionary.naturalizeDataset(file.dict);
  } catch (error) {
    throw new NotDicomSourceError(`not a readable DICOM file (${(error as Error).message?.slice(0, 80) ?? "unknown"})`);
  }
}

const stringOf = (v: unknown): string => (typeof v === "string" ? v : Array.isArray(v) && typeof v[0] === "string" ? v[0] : "");

const numberOf = (v: unknown): number => {
  const n = Number(Array.isArray(v) ? v[0] : v);
  return Number.isFinite(n) && n > 0 ? n : 0;
};

export function sourceContext(original: Uint8Array): SourceContext {
  const header = readDicomHeader(original);
  const patientStudy: Dataset = {};
  for (const k of PATIENT_STUDY_KEYWORDS) if (header[k] !== undefined) patientStudy[k] = header[k];
  for (const k of TYPE_2) patientStudy[k] ??= "";
  const context = {
    patientStudy,
    studyInstanceUid: stringOf(header.StudyInstanceUID),
    seriesInstanceUid: stringOf(header.SeriesInstanceUID),
    sopClassUid: stringOf(header.SOPClassUID),
    sopInstanceUid: stringOf(header.SOPInstanceUID),
    modality: stringOf(header.Modality),
    rows: numberOf(header.Rows),
    columns: numberOf(header.Columns),
    viewPosition: stringOf(header.ViewPosition).trim().toUpperCase(),
  };
  if (!context.studyInstanceUid || !context.sopInstanceUid || !context.sopClassUid) {
    throw new NotDicomSourceError("the original has no Study, SOP Class or SOP Instance UID");
  }
  return context;
}

/**
 * A naturalized dataset as a Part 10 file in explicit VR little endian, or in the (encapsulated)
 * transfer syntax its pixel data is already in.
 */
export function writeDicomFile(dataset: Dataset, transferSyntaxUid = EXPLICIT_VR_LITTLE_ENDIAN): Buffer {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: transferSyntaxUid,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION,
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return Buffer.from(dict.write());
}

/** DICOM DA and TM of a moment, in UTC (the written objects carry TimezoneOffsetFromUTC +0000). */
export function dicomDateTime(at: Date): { date: string; time: string; dateTime: string } {
  const iso = at.toISOString();
  const date = iso.slice(0, 10).replaceAll("-", "");
  const time = iso.slice(11, 19).replaceAll(":", "");
  return { date, time, dateTime: `${date}${time}+0000` };
}
