"use client";
// A completed set: the table of every finding, and the selected finding's ROC and calibration plots,
// confusion counts at the current site threshold and the threshold picker.
import { useMemo, useState } from "react";
import { thresholdFor } from "@/lib/triage/rules";
import { MIN_SITE_THRESHOLD } from "@/lib/validation/evaluate";
import { thresholdForSensitivity } from "@/lib/validation/metrics";
import type { FindingView } from "@/lib/validation/queries";
import { ThresholdPicker } from "./threshold-picker";
import { CalibrationChart, RocChart } from "./validation-charts";
import { DataTable } from "@/components/ui/data-table";

const display = (l: string) => l.replaceAll("_", " ");
const num = (v: number | null | undefined, d = 3) => (v === null || v === undefined ? "–" : v.toFixed(d));
const pct = (v: number | null) => (v === null ? "–" : `${Math.round(v * 100)}%`);

export function FindingsPanel({ setId, findings, thresholds, canApply }: { setId: string; findings: FindingView[]; thresholds: Record<string, number>; canApply: boolean }) {
  const first = findings.find((f) => f.auc !== null) ?? findings[0];
  const [label, setLabel] = useState(first?.label ?? "");
  const [target, setTarget] = useState(90);
  const finding = findings.find((f) => f.label === label);
  const picked = useMemo(
    () =>
      finding && target >= 50 && target <= 100
        ? thresholdForSensitivity(finding.cases.map(([score, t]) => ({ score, positive: t === 1 })), target / 100, MIN_SITE_THRESHOLD)
        : null,
    [finding, target],
  );
  if (!finding) return <p className="text-sm text-zinc-400">This set has no labelled finding.</p>;
  const site = finding.siteThreshold;

  return (
    <div className="space-y-4">
      <DataTable testId="validation-findings" headers={["Finding", "n", "Positive", "AUC (95% CI)", "Site threshold", "Sens / spec at site", "ECE"]}>
        {findings.map((f) => (
          <tr
            key={f.label}
            data-testid={`validation-row-${f.label}`}
            onClick={() => setLabel(f.label)}
            className={`cursor-pointer border-t border-zinc-800 ${f.label === label ? "bg-sky-950/50" : "hover:bg-zinc-900"}`}
          >
            <td className="px-3 py-1.5">
              <button type="button" className="text-left text-sky-300 hover:underline" onClick={() => setLabel(f.label)} data-testid={`select-finding-${f.label}`}>
                {display(f.label)}
              </button>
            </td>
            <td className="px-3 py-1.5 font-mono">{f.n}</td>
            <td className="px-3 py-1.5 font-mono">{f.positives}</td>
            <td className="px-3 py-1.5 font-mono" data-testid={`auc-${f.label}`}>
              {f.auc === null ? "– (one class missing)" : `${num(f.auc)}${f.aucCi ? ` (${num(f.aucCi[0])}–${num(f.aucCi[1])})` : ""}`}
            </td>
            <td className="px-3 py-1.5 font-mono">{num(f.siteThreshold.threshold, 4)}</td>
            <td className="px-3 py-1.5 font-mono">
              {pct(f.siteThreshold.sensitivity)} / {pct(f.siteThreshold.specificity)}
            </td>
            <td className="px-3 py-1.5 font-mono">{num(f.calibration.ece)}</td>
          </tr>
        ))}
      </DataTable>

      <section className="space-y-3 rounded-lg border border-zinc-800 bg-zinc-900/50 p-4" data-testid="finding-detail" data-label={finding.label}>
        <header className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 className="text-base font-semibold text-white">{display(finding.label)}</h2>
          <p className="text-sm text-zinc-300" data-testid="finding-auc">
            AUC {finding.auc === null ? "not defined (one class missing)" : num(finding.auc)}
            {finding.aucCi && ` (95% CI ${num(finding.aucCi[0])}–${num(finding.aucCi[1])}, DeLong)`} · n = {finding.n}, {finding.positives} positive
          </p>
        </header>
        <div className="grid gap-4 lg:grid-cols-2">
          <div>
            <h3 className="mb-1 text-xs font-medium text-zinc-400">ROC curve (operating points marked)</h3>
            <RocChart finding={finding} pickedThreshold={picked} />
          </div>
          <div>
            <h3 className="mb-1 text-xs font-medium text-zinc-400">Calibration of the probability · ECE {num(finding.calibration.ece)}</h3>
            <CalibrationChart finding={finding} />
          </div>
        </div>
        <div className="grid gap-4 lg:grid-cols-2">
          <div className="text-sm" data-testid="site-confusion">
            <h3 className="mb-1 text-xs font-medium text-zinc-400">At the current site threshold {num(site.threshold, 4)}</h3>
            <table className="font-mono text-xs">
              <tbody>
                <tr>
                  <td className="pr-4 text-zinc-400" />
                  <td className="pr-4 text-zinc-400">Present</td>
                  <td className="text-zinc-400">Absent</td>
                </tr>
                <tr>
                  <td className="pr-4 text-zinc-400">Called</td>
                  <td className="pr-4" data-testid="site-tp">TP {site.tp}</td>
                  <td data-testid="site-fp">FP {site.fp}</td>
                </tr>
                <tr>
                  <td className="pr-4 text-zinc-400">Not called</td>
                  <td className="pr-4" data-testid="site-fn">FN {site.fn}</td>
                  <td data-testid="site-tn">TN {site.tn}</td>
                </tr>
              </tbody>
            </table>
            <p className="mt-1 text-xs text-zinc-400">
              Sensitivity {pct(site.sensitivity)}, specificity {pct(site.specificity)} · model operating point (0.5): {pct(finding.operatingPoint.sensitivity)} /{" "}
              {pct(finding.operatingPoint.specificity)}
            </p>
          </div>
          <ThresholdPicker
            key={finding.label}
            setId={setId}
            label={finding.label}
            target={target}
            setTarget={setTarget}
            picked={picked}
            siteThreshold={thresholdFor(finding.label, thresholds)}
            canApply={canApply}
          />
        </div>
      </section>
    </div>
  );
}
