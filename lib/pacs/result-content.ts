import type { AnatomySummary } from "@/lib/anatomy/run-models";
import type { Measurement } from "@/lib/core/measurement-types";
import type { TriageLevel } from "@/lib/triage/rules";

// What a DICOM result says, gathered once (lib/pacs/load-result.ts) and written by the SR and the
// Secondary Capture writers. Nothing here identifies the patient: that comes from the original file.

export interface ResultFinding {
  label: string;
  /** null: not assessed by this model (no score). */
  calibrated: number | null;
  positive: boolean;
  /** The site's triage threshold for this label when the result is written. */
  threshold: number;
  /** 7x7 class activation map, null when none was stored. */
  cam: number[] | null;
}

export interface ResultVerification {
  reviewVersion: number;
  reviewerName: string;
  signedOffAt: Date;
  impression: string;
  /** Drawn by the radiologist (lib/studies), with the film's pixel spacing (null: uncalibrated). */
  measurements?: Measurement[];
  pixelSpacing?: [number, number] | null;
}

export interface ResultContent {
  analysisId: string;
  /** This analysis's place among the analyses of its study (1 = the first), for series numbers. */
  studyOrdinal: number;
  analysedAt: Date;
  model: { name: string; version: string; trained: boolean };
  /** In the model's output order. */
  findings: ResultFinding[];
  /** Rows and columns of each finding's map. */
  camSide: { h: number; w: number };
  triageLevel: TriageLevel | null;
  qualityWarnings: string[];
  /** Millimetres per pixel [row, column] of the analysed film; null when it gave none (uncalibrated). */
  pixelSpacing: [number, number] | null;
  /** Null until a radiologist signs off; then the SR is written again, VERIFIED. */
  verification: ResultVerification | null;
  /** The anatomy model's measurements, when it has run on this film (the software CTR). */
  anatomy?: AnatomySummary | null;
  /** DICOM View Position of the film, and whether it was flagged as not frontal (no software CTR then). */
  viewPosition?: string | null;
  nonFrontal?: boolean;
}

export const MANUFACTURER = "CXR Assist (open source)";
export const UNTRAINED_WARNING =
  "UNTRAINED MODEL - NOT FOR DIAGNOSIS: these scores come from the untrained demonstration model and carry no medical meaning.";
export const UNTRAINED_BANNER = "UNTRAINED MODEL — NOT FOR DIAGNOSIS";

/** Software Versions (LO, multi-valued): the app and the model. */
export function softwareVersions(content: ResultContent, appVersion: string): string[] {
  return [`cxr-assist ${appVersion}`, `${content.model.name} ${content.model.version}${content.model.trained ? "" : " (untrained)"}`.slice(0, 64)];
}
