// The charts of the statistics page by name: how to load each one and the CSV columns behind it. The
// page and the CSV route both go through this table, so a chart and its numbers cannot drift apart.
import "server-only";
import { TRIAGE_LABEL } from "@/lib/triage/rules";
import type { AgreementRow } from "./agreement";
import { toCsv, type CsvColumn } from "./csv";
import {
  agreementPerFinding,
  findingPrevalence,
  processingTimes,
  triageMix,
  volumePerDay,
  type PrevalenceRow,
  type ProcessingRow,
  type StatsRange,
  type TriageMixRow,
  type VolumeRow,
} from "./queries";

export const CHART_NAMES = ["volume", "triage", "prevalence", "processing", "agreement"] as const;
export type ChartName = (typeof CHART_NAMES)[number];

interface Chart<T> {
  title: string;
  load: (range: StatsRange) => Promise<T[]>;
  columns: CsvColumn<T>[];
}

const ratio = (v: number | null) => (v === null ? null : Number(v.toFixed(4)));

const volume: Chart<VolumeRow> = {
  title: "Studies per day",
  load: volumePerDay,
  columns: [
    { header: "day_utc", value: (r) => r.day },
    { header: "total", value: (r) => r.total },
    { header: "completed", value: (r) => r.completed },
    { header: "failed", value: (r) => r.failed },
  ],
};

const triage: Chart<TriageMixRow> = {
  title: "Triage mix",
  load: triageMix,
  columns: [
    { header: "triage_level", value: (r) => TRIAGE_LABEL[r.level] },
    { header: "studies", value: (r) => r.count },
  ],
};

const prevalence: Chart<PrevalenceRow> = {
  title: "Finding prevalence (model calls)",
  load: findingPrevalence,
  columns: [
    { header: "finding", value: (r) => r.label },
    { header: "positive", value: (r) => r.positive },
    { header: "studies", value: (r) => r.total },
    { header: "rate", value: (r) => ratio(r.rate) },
  ],
};

const processing: Chart<ProcessingRow> = {
  title: "Processing time",
  load: processingTimes,
  columns: [
    { header: "processing_time", value: (r) => r.bucket },
    { header: "upper_bound_ms", value: (r) => (Number.isFinite(r.upToMs) ? r.upToMs : null) },
    { header: "studies", value: (r) => r.count },
  ],
};

const agreement: Chart<AgreementRow> = {
  title: "AI–radiologist agreement",
  load: agreementPerFinding,
  columns: [
    { header: "finding", value: (r) => r.label },
    { header: "true_positive", value: (r) => r.tp },
    { header: "false_positive", value: (r) => r.fp },
    { header: "false_negative", value: (r) => r.fn },
    { header: "true_negative", value: (r) => r.tn },
    { header: "reviewed", value: (r) => r.n },
    { header: "sensitivity", value: (r) => ratio(r.sensitivity) },
    { header: "sensitivity_ci95_low", value: (r) => ratio(r.sensitivityCi?.[0] ?? null) },
    { header: "sensitivity_ci95_high", value: (r) => ratio(r.sensitivityCi?.[1] ?? null) },
    { header: "specificity", value: (r) => ratio(r.specificity) },
    { header: "specificity_ci95_low", value: (r) => ratio(r.specificityCi?.[0] ?? null) },
    { header: "specificity_ci95_high", value: (r) => ratio(r.specificityCi?.[1] ?? null) },
  ],
};

export interface ChartData {
  volume: VolumeRow[];
  triage: TriageMixRow[];
  prevalence: PrevalenceRow[];
  processing: ProcessingRow[];
  agreement: AgreementRow[];
}

export const charts: { [K in ChartName]: Chart<ChartData[K][number]> } = {
  volume,
  triage,
  prevalence,
  processing,
  agreement,
};

export async function loadAllCharts(range: StatsRange): Promise<ChartData> {
  // Sequential on purpose: five small queries, and the pool is shared with uploads.
  return {
    volume: await volume.load(range),
    triage: await triage.load(range),
    prevalence: await prevalence.load(range),
    processing: await processing.load(range),
    agreement: await agreement.load(range),
  };
}

export async function chartCsv(name: ChartName, range: StatsRange): Promise<string> {
  const chart = charts[name] as Chart<unknown>;
  return toCsv(chart.columns, await chart.load(range));
}
