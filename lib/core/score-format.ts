/**
 * The one way a calibrated AI score is written, in every panel, list and report: two decimals ("0.93").
 * Never a percentage: a calibrated score is not a probability of disease, and one score shown as "0.93"
 * beside the same score as "93%" reads as two different numbers.
 */
export const formatScore = (score: number): string => score.toFixed(2);
