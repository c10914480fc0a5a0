// The labels file of a validation set: a `file` column with the image's file name and one column per
// finding, each cell 1 (present), 0 (absent) or empty (not known). Column names match the model's labels
// loosely (case, spaces, underscores and hyphens do not matter). Pure, so the CLI and the app share it.

import { plainFileName } from "@/lib/analyses/file-name";

export type GroundTruth = Record<string, 0 | 1>;

export interface LabelRow {
  file: string;
  /** Only the findings this row knows; a missing key means "not known". */
  labels: GroundTruth;
}

export interface ParsedLabels {
  rows: LabelRow[];
  /** Model labels that have a column, in the model's order. */
  labels: string[];
  /** Columns that name no finding of the model; they are ignored (and reported, in case of a typo). */
  ignoredColumns: string[];
}

export class LabelsCsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LabelsCsvError";
  }
}

export const MAX_LABEL_ROWS = 20_000;

export const labelKey = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, " ").trim();

/** RFC 4180 records: quoted cells may hold commas, quotes ("") and line breaks. */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === "") quoted = true;
    else if (ch === ",") {
      record.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = "";
    } else cell += ch;
  }
  if (quoted) throw new LabelsCsvError("The labels file ends inside a quoted cell (a closing \" is missing).");
  if (cell !== "" || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  // Blank lines carry nothing.
  return records.filter((r) => r.some((c) => c.trim() !== ""));
}

/** The base name of a path in either separator style: rows match uploads and CLI arguments by it. */
/** A file's name as the labels file and the set match it (the last path segment, cleaned as uploads store it). */
export const baseName = (name: string) => plainFileName(name);

export function parseLabelsCsv(text: string, modelLabels: readonly string[]): ParsedLabels {
  const records = parseCsvRecords(text);
  if (records.length === 0) throw new LabelsCsvError("The labels file is empty.");
  const header = records[0].map((h) => h.trim());
  const fileCol = header.findIndex((h) => labelKey(h) === "file");
  if (fileCol < 0) throw new LabelsCsvError('The labels file needs a "file" column with each image\'s file name.');
  const byKey = new Map(modelLabels.filter((l) => l !== "").map((l) => [labelKey(l), l]));
  const columns: { index: number; label: string }[] = [];
  const ignoredColumns: string[] = [];
  header.forEach((h, index) => {
    if (index === fileCol) return;
    const label = byKey.get(labelKey(h));
    if (!label) ignoredColumns.push(h);
    else if (columns.some((c) => c.label === label)) throw new LabelsCsvError(`The column "${h}" appears twice.`);
    else columns.push({ index, label });
  });
  if (columns.length === 0) {
    throw new LabelsCsvError(`No column names a finding of the model. Use the model's labels, e.g. ${modelLabels.slice(0, 3).join(", ")}.`);
  }
  if (records.length - 1 > MAX_LABEL_ROWS) throw new LabelsCsvError(`The labels file has more than ${MAX_LABEL_ROWS} rows.`);

  const seen = new Set<string>();
  const rows = records.slice(1).map((record, r) => {
    const line = r + 2;
    const file = plainFileName(record[fileCol] ?? "");
    if (!file) throw new LabelsCsvError(`Row ${line}: the file name is empty.`);
    if (seen.has(file)) throw new LabelsCsvError(`Row ${line}: ${file} is listed twice.`);
    seen.add(file);
    const labels: GroundTruth = {};
    for (const { index, label } of columns) {
      const v = (record[index] ?? "").trim();
      if (v === "") continue;
      if (v !== "0" && v !== "1") {
        throw new LabelsCsvError(`Row ${line}, column ${header[index]}: "${v.slice(0, 20)}" is not a label. Use 1 (present), 0 (absent) or leave it empty (not known).`);
      }
      labels[label] = v === "1" ? 1 : 0;
    }
    return { file, labels };
  });
  const labels = modelLabels.filter((l) => columns.some((c) => c.label === l));
  return { rows, labels, ignoredColumns };
}
