"use client";
// Site thresholds per finding. Each is a calibrated score: 0.50 is the model's operating point; lower
// catches more (and flags more normals), higher flags less. Saving re-triages every stored study.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useSubmit } from "@/components/ui/use-submit";
import { CRITICAL_FINDINGS } from "@/lib/triage/rules";
import { apiFetch } from "@/lib/api/browser-fetch";

interface Row {
  label: string;
  threshold: number;
  isDefault: boolean;
}

export function ThresholdForm({ rows, defaultThreshold }: { rows: Row[]; defaultThreshold: number }) {
  const router = useRouter();
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(rows.map((r) => [r.label, r.threshold.toFixed(2)])));
  const { busy, error, run } = useSubmit();
  const [saved, setSaved] = useState<string | null>(null);
  const message = error ? { ok: false, text: error } : saved ? { ok: true, text: saved } : null;

  const changed = rows.filter((r) => Number(values[r.label]) !== r.threshold);
  const invalid = rows.filter((r) => {
    const v = Number(values[r.label]);
    return !Number.isFinite(v) || v < 0.01 || v > 1;
  });

  const save = async () => {
    setSaved(null);
    await run(async () => {
      const thresholds = Object.fromEntries(changed.map((r) => [r.label, Number(values[r.label])]));
      const body = await apiFetch<{ recomputed: { changed: number; total: number } }>("/api/settings/triage", { method: "PATCH", json: { thresholds } });
      setSaved(`Saved. ${body.recomputed.changed} of ${body.recomputed.total} studies changed triage level.`);
      router.refresh();
    });
  };

  return (
    <div className="space-y-3">
      <div className="overflow-x-auto rounded-lg border border-zinc-800">
        <table className="w-full min-w-[560px] text-sm" data-testid="threshold-table">
          <thead className="bg-zinc-900 text-[10px] uppercase tracking-wider text-zinc-400">
            <tr>
              <th className="px-3 py-2 text-left">Finding</th>
              <th className="px-3 py-2 text-left">Triage class</th>
              <th className="px-3 py-2 text-left">Threshold (calibrated score)</th>
              <th className="px-3 py-2 text-right" />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const v = values[r.label];
              const n = Number(v);
              const isDefault = n === defaultThreshold;
              return (
                <tr key={r.label} className="border-t border-zinc-800" data-testid={`threshold-row-${r.label}`}>
                  <td className="px-3 py-1.5 text-zinc-100">{r.label.replaceAll("_", " ")}</td>
                  <td className="px-3 py-1.5 text-xs">
                    {CRITICAL_FINDINGS.includes(r.label) ? <span className="text-red-300">Critical</span> : <span className="text-amber-300">Abnormal</span>}
                  </td>
                  <td className="px-3 py-1.5">
                    <div className="flex items-center gap-2">
                      <input
                        type="range"
                        min={0.01}
                        max={1}
                        step={0.01}
                        value={Number.isFinite(n) ? n : defaultThreshold}
                        onChange={(e) => setValues((s) => ({ ...s, [r.label]: Number(e.target.value).toFixed(2) }))}
                        aria-label={`${r.label} threshold slider`}
                        className="w-40 accent-sky-400"
                      />
                      <input
                        type="number"
                        min={0.01}
                        max={1}
                        step={0.01}
                        value={v}
                        onChange={(e) => setValues((s) => ({ ...s, [r.label]: e.target.value }))}
                        aria-label={`${r.label} threshold`}
                        data-testid={`threshold-${r.label}`}
                        className="h-7 w-20 rounded border border-zinc-700 bg-zinc-900 px-2 font-mono text-xs text-zinc-100"
                      />
                      {isDefault ? (
                        <span className="text-[11px] text-zinc-500">operating point</span>
                      ) : n >= 1 ? (
                        <span className="text-[11px] text-zinc-400">off: not used for triage</span>
                      ) : (
                        <span className="text-[11px] text-sky-300">site value</span>
                      )}
                    </div>
                  </td>
                  <td className="px-3 py-1.5 text-right">
                    {!isDefault && (
                      <button type="button" onClick={() => setValues((s) => ({ ...s, [r.label]: defaultThreshold.toFixed(2) }))} className="text-[11px] text-zinc-400 hover:text-white">
                        Reset
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={save}
          disabled={busy || changed.length === 0 || invalid.length > 0}
          data-testid="save-thresholds"
          className="h-8 rounded bg-sky-600 px-4 text-xs font-semibold text-white hover:bg-sky-700 disabled:opacity-40"
        >
          {busy ? "Saving and re-triaging…" : `Save ${changed.length || ""} change${changed.length === 1 ? "" : "s"}`}
        </button>
        {invalid.length > 0 && <span className="text-xs text-rose-300">Thresholds must be between 0.01 and 1.</span>}
        {message && (
          <span role="status" data-testid="threshold-message" className={`text-xs ${message.ok ? "text-emerald-300" : "text-rose-300"}`}>
            {message.text}
          </span>
        )}
      </div>
    </div>
  );
}
