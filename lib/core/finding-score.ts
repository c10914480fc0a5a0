// One way to write a finding's score everywhere it leaves the server (pages, PDF, FHIR, DICOM, API): the
// calibrated score with two decimals, or, where the model gives no score for the label (its release has
// no operating point for it, stored as null), "not assessed by this model", never op_norm's 0.5. Never a
// percentage: a calibrated score is not a probability of disease, and one score shown as "0.93" beside the
// same score as "93%" reads as two different numbers. Pure.

export const NOT_ASSESSED = "not assessed by this model";

export const formatScore = (calibrated: number | null): string => (calibrated === null ? NOT_ASSESSED : calibrated.toFixed(2));

/** Highest score first; findings without a score last, in their own order. */
export function byScore<T extends { calibrated: number | null }>(a: T, b: T): number {
  if (a.calibrated === null || b.calibrated === null) return (a.calibrated === null ? 1 : 0) - (b.calibrated === null ? 1 : 0);
  return b.calibrated - a.calibrated;
}
