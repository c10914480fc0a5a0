// A set's results as CSV: one row per finding (the numbers of the page), or one row per image with its
// labels and scores.
import "server-only";
import { toCsv, type CsvColumn } from "@/lib/stats/csv";
import { loadCases } from "./cases";
import type { Confusion } from "./metrics";
import type { FindingView, SetView } from "./queries";
import { scoresCsv } from "./scores-csv";

const at = (prefix: string, pick: (f: FindingView) => Confusion | null): CsvColumn<FindingView>[] => [
  { header: `${prefix}_threshold`, value: (f) => pick(f)?.threshold },
  { header: `${prefix}_sensitivity`, value: (f) => pick(f)?.sensitivity },
  { header: `${prefix}_specificity`, value: (f) => pick(f)?.specificity },
];

export function summaryCsv(view: SetView): string {
  const { set } = view;
  const columns: CsvColumn<FindingView>[] = [
    { header: "set", value: () => set.name },
    { header: "model", value: () => set.modelName },
    { header: "model_version", value: () => set.modelVersion },
    { header: "model_trained", value: () => (set.modelTrained === null ? null : String(set.modelTrained)) },
    { header: "completed_at", value: () => set.completedAt?.toISOString() },
    { header: "finding", value: (f) => f.label },
    { header: "n", value: (f) => f.n },
    { header: "positives", value: (f) => f.positives },
    { header: "auc", value: (f) => f.auc },
    { header: "auc_ci_low", value: (f) => f.aucCi?.[0] },
    { header: "auc_ci_high", value: (f) => f.aucCi?.[1] },
    ...at("operating_point", (f) => f.operatingPoint),
    ...at("site", (f) => f.siteThreshold),
    { header: "site_tp", value: (f) => f.siteThreshold.tp },
    { header: "site_fp", value: (f) => f.siteThreshold.fp },
    { header: "site_fn", value: (f) => f.siteThreshold.fn },
    { header: "site_tn", value: (f) => f.siteThreshold.tn },
    ...at("sens90", (f) => f.sensitivity90),
    ...at("sens95", (f) => f.sensitivity95),
    { header: "ece", value: (f) => f.calibration.ece },
  ];
  return toCsv(columns, view.findings);
}

export async function setScoresCsv(view: SetView): Promise<string> {
  const cases = (await loadCases(view.set.id)).filter((c) => c.status === "completed");
  return scoresCsv(view.set.labels, cases.map((c) => ({ file: c.fileName, truth: c.truth, findings: c.findings })));
}
