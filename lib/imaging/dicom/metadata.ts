// Study metadata taken from a DICOM dataset.
//
// PRIVACY DECISION. What is read from the file and can end up in the database:
//   kept:    modality, view position, body part, patient sex, patient age (the DICOM age string),
//            study date, study/series/SOP instance UIDs, accession number, manufacturer, pixel
//            spacing, and the technical pixel description (transfer syntax, photometric, bits, frames).
//   dropped: Patient's Name (0010,0010), Patient ID (0010,0020), other patient IDs, birth date,
//            addresses, institution and physician names, and every private tag. They are never read
//            into an object, so they cannot reach a log line, an error message, a URL or a row.
// Why: the platform identifies an analysis by its own ids; the accession number and UIDs are enough
// for a PACS or RIS to link a result back to the study inside the hospital, and sex/age/date are
// what a reader of the result needs for context. Name and patient ID add re-identification risk and
// no function. (Patient ID and its issuer are read once more, by lib/studies/patient-link.ts, only to
// compute a keyed hash that links one patient's studies; the ID itself is never kept.) The accession
// number and UIDs are still identifiers of a study: the code that stores them must keep them out of
// URLs and logs too (only the analysis id goes there).
import type { DataSet } from "dicom-parser";
import type { DicomMetadata } from "../types";
import type { PixelModule } from "./pixel-module";

function text(ds: DataSet, tag: string, maxLength = 64): string | undefined {
  let v: string | undefined;
  try {
    v = ds.string(tag);
  } catch {
    return undefined; // a damaged optional element must not fail the whole upload
  }
  if (v === undefined) return undefined;
  // Control characters would be carried into JSON and the UI; value lengths are bounded by the VR.
  const cleaned = v.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, maxLength);
  return cleaned === "" ? undefined : cleaned;
}

/** DICOM DA (YYYYMMDD) to ISO YYYY-MM-DD; anything else (partial, invalid) is dropped. */
function isoDate(da: string | undefined): string | undefined {
  if (!da || !/^\d{8}$/.test(da)) return undefined;
  const y = Number(da.slice(0, 4));
  const m = Number(da.slice(4, 6));
  const d = Number(da.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}`;
}

function uid(ds: DataSet, tag: string): string | undefined {
  const v = text(ds, tag);
  return v && /^[0-9.]{1,64}$/.test(v) ? v : undefined;
}

/** A DS pair "row\column" of positive millimetres, else undefined. */
function spacing(ds: DataSet, tag: string): [number, number] | undefined {
  const v = text(ds, tag);
  if (!v) return undefined;
  const parts = v.split("\\").map((p) => Number(p.trim()));
  if (parts.length !== 2 || !parts.every((n) => Number.isFinite(n) && n > 0 && n < 100)) return undefined;
  return [parts[0], parts[1]];
}

export function readDicomMetadata(ds: DataSet, header: PixelModule): DicomMetadata {
  const sex = text(ds, "x00100040", 16)?.toUpperCase();
  const age = text(ds, "x00101010", 16);
  const pixelSpacing = spacing(ds, "x00280030");
  const imagerSpacing = pixelSpacing ? undefined : spacing(ds, "x00181164");
  const meta: DicomMetadata = {
    kind: "dicom",
    modality: text(ds, "x00080060", 16)?.toUpperCase(),
    viewPosition: text(ds, "x00185101", 16)?.toUpperCase(),
    bodyPart: text(ds, "x00180015", 16)?.toUpperCase(),
    patientSex: sex === "M" || sex === "F" || sex === "O" ? sex : undefined,
    patientAge: age && /^\d{3}[DWMY]$/.test(age) ? age : undefined,
    studyDate: isoDate(text(ds, "x00080020", 16)),
    studyInstanceUid: uid(ds, "x0020000d"),
    seriesInstanceUid: uid(ds, "x0020000e"),
    sopInstanceUid: uid(ds, "x00080018"),
    accessionNumber: text(ds, "x00080050", 16),
    manufacturer: text(ds, "x00080070"),
    pixelSpacing: pixelSpacing ?? imagerSpacing,
    pixelSpacingSource: pixelSpacing ? "pixel" : imagerSpacing ? "imager" : undefined,
    transferSyntax: header.transferSyntax.uid,
    transferSyntaxName: header.transferSyntax.name,
    photometric: header.photometric,
    bitsAllocated: header.bitsAllocated,
    bitsStored: header.bitsStored,
    pixelRepresentation: header.pixelRepresentation,
    samplesPerPixel: header.samplesPerPixel,
    frames: header.frames,
    colour: false,
  };
  // Leave absent fields out rather than as explicit undefined, so JSON and equality stay tidy.
  for (const key of Object.keys(meta) as (keyof DicomMetadata)[]) {
    if (meta[key] === undefined) delete meta[key];
  }
  return meta;
}
