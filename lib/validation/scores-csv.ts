// Per-image scores of a validation set as CSV: one row per image, then per finding the label (1, 0 or
// empty), the probability and the calibrated score.
import { toCsv, type CsvColumn } from "@/lib/stats/csv";
import type { GroundTruth } from "./labels-csv";

export interface ScoreRow {
  file: string;
  truth: GroundTruth;
  findings: readonly { label: string; probability: number; calibrated: number }[];
}

export function scoresCsv(labels: readonly string[], rows: readonly ScoreRow[]): string {
  const score = (r: ScoreRow, label: string) => r.findings.find((f) => f.label === label);
  const columns: CsvColumn<ScoreRow>[] = [
    { header: "file", value: (r) => r.file },
    ...labels.flatMap((label): CsvColumn<ScoreRow>[] => [
      { header: `${label}`, value: (r) => r.truth[label] },
      { header: `${label}_probability`, value: (r) => score(r, label)?.probability },
      { header: `${label}_calibrated`, value: (r) => score(r, label)?.calibrated },
    ]),
  ];
  return toCsv(columns, rows);
}
