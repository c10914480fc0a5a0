import { legendGradient } from "./heatmap-layer";

/** Colour scale of the heatmap: relative to the selected finding's own activation range. */
export function HeatmapLegend({ finding, score, positive }: { finding: string; score: number | null; positive: boolean | null }) {
  return (
    <div className="w-56 rounded-md border border-white/10 bg-zinc-950/85 px-3 py-2 text-[11px] text-zinc-300 shadow-lg backdrop-blur" data-testid="heatmap-legend">
      <div className="mb-1 flex items-baseline justify-between gap-2">
        <span className="truncate font-medium text-zinc-100">{finding.replaceAll("_", " ")}</span>
        {score !== null && (
          <span className={positive ? "font-mono text-amber-300" : "font-mono text-zinc-400"}>
            {score.toFixed(2)} {positive ? "positive" : "negative"}
          </span>
        )}
      </div>
      <div className="h-2.5 rounded-sm ring-1 ring-white/15" style={{ background: legendGradient() }} />
      <div className="mt-0.5 flex justify-between text-zinc-400">
        <span>low</span>
        <span>relative activation</span>
        <span>high</span>
      </div>
      {positive === false && <p className="mt-1 text-zinc-500">Model negative: the map shows where it looked, not a lesion.</p>}
    </div>
  );
}
