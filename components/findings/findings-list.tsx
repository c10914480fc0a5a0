import type { Finding } from "@/lib/db/schema";
import { ProgressBar } from "@/components/ui/progress-bar";

/** All findings, highest calibrated score first, with a bar and the model's positive call. */
export function FindingsList({
  findings,
  trained,
  prior,
  zones,
}: {
  findings: Finding[];
  trained: boolean;
  /** Each positive finding's heatmap peak by lung zone ("right lower zone"), from the anatomy model. */
  zones?: { byLabel: Record<string, string | null>; trained: boolean };
  /** The patient's most recent earlier study: each row then shows the change, e.g. 0.12 → 0.71. */
  prior?: { date: string; scores: Record<string, number> };
}) {
  const sorted = [...findings].sort((a, b) => b.calibrated - a.calibrated);
  return (
    <div className="space-y-2">
      <div className="flex items-baseline justify-between">
        <h2 className="text-sm font-semibold text-white">Findings ({findings.length})</h2>
        <span className="text-xs text-zinc-500">
          calibrated score · line = operating point (50%){prior ? ` · change since ${prior.date}` : ""}
        </span>
      </div>
      <ul className="space-y-1" data-testid="findings-list">
        {sorted.map((f) => (
          <li
            key={f.label}
            data-testid="finding-row"
            data-label={f.label}
            data-positive={f.positive}
            data-calibrated={f.calibrated}
            className={`grid ${prior ? "grid-cols-[minmax(0,14rem)_2.5rem_minmax(4rem,1fr)_2.5rem_6.5rem]" : "grid-cols-[minmax(0,14rem)_2.5rem_minmax(4rem,1fr)_2.5rem]"} items-center gap-2 text-xs`}
          >
            <span className={`truncate ${f.positive ? "font-semibold text-white" : "text-zinc-300"}`} title={f.label.replace(/_/g, " ")}>
              {f.label.replace(/_/g, " ")}
              {f.positive && zones?.byLabel[f.label] && (
                <span
                  className="ml-1 font-normal text-zinc-300"
                  data-testid="finding-zone"
                  title={`Where the heatmap peak falls in the lung masks (anatomy model${zones.trained ? "" : ", UNTRAINED: meaningless"})`}
                >
                  · {zones.byLabel[f.label]}
                  {!zones.trained && " (untrained)"}
                </span>
              )}
            </span>
            <span>
              {f.positive && (
                <span
                  title={trained ? "Above the model's operating point" : "Above the operating point of an untrained model: meaningless"}
                  className={`rounded px-1 py-px text-[10px] font-bold ${trained ? "bg-red-900 text-red-100" : "bg-zinc-700 text-zinc-200"}`}
                >
                  POS
                </span>
              )}
            </span>
            <ProgressBar value={f.calibrated} marker={0.5} tone={f.positive ? "danger" : "info"} />
            {/* Scores are shown one way everywhere: the calibrated score with two decimals, as triage states it. */}
            <span className="text-right tabular-nums text-zinc-300">{f.calibrated.toFixed(2)}</span>
            {prior && (
              <span className="text-right font-mono tabular-nums text-zinc-400" data-testid="finding-change">
                {prior.scores[f.label] === undefined ? "—" : `${prior.scores[f.label].toFixed(2)} → ${f.calibrated.toFixed(2)}`}
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
