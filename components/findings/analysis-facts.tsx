import type { Analysis } from "@/lib/db/schema";

const STAGES = ["decode", "preprocess", "inference", "render", "store", "total"] as const;

/** Model identity, quality warnings and stage timings. */
export function AnalysisFacts({ analysis }: { analysis: Analysis }) {
  return (
    <div className="space-y-3 text-xs">
      {analysis.warnings.length > 0 && (
        <ul className="space-y-1" data-testid="analysis-warnings">
          {analysis.warnings.map((w) => (
            <li key={w.code} data-code={w.code} className="rounded-md border border-amber-800/60 bg-amber-950/40 px-3 py-2 text-amber-200">
              {w.message}
            </li>
          ))}
        </ul>
      )}
      <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-zinc-400">
        <dt>Model</dt>
        <dd className="text-zinc-200" data-testid="analysis-model">
          {analysis.modelName} {analysis.modelVersion ? `v${analysis.modelVersion}` : ""} {analysis.modelTrained === false ? "(untrained)" : ""}
        </dd>
        {analysis.modality && (
          <>
            <dt>Modality / view</dt>
            <dd className="text-zinc-200">
              {analysis.modality} {analysis.viewPosition ?? ""}
            </dd>
          </>
        )}
        {analysis.accessionNumber && (
          <>
            <dt>Accession</dt>
            <dd className="text-zinc-200">{analysis.accessionNumber}</dd>
          </>
        )}
        <dt>Timings</dt>
        <dd className="text-zinc-200" data-testid="analysis-timings">
          {STAGES.filter((s) => analysis.timings[s] !== undefined)
            .map((s) => `${s} ${Math.round(analysis.timings[s])} ms`)
            .join(" · ")}
        </dd>
      </dl>
    </div>
  );
}

/**
 * Beside the result's title: scores from an untrained network must never be read as a diagnosis. One
 * compact notice (the app-wide banner steps back on this page, see app/globals.css), so the film keeps
 * the room.
 */
export function UntrainedResultBanner({ analysis }: { analysis: Analysis }) {
  if (analysis.modelTrained !== false) return null;
  return (
    <p
      role="note"
      data-testid="result-untrained-banner"
      data-replaces-shell-notice
      className="rounded border border-amber-600 bg-amber-950 px-2 py-0.5 text-xs text-amber-100"
    >
      <strong className="font-bold tracking-wide">UNTRAINED MODEL — NOT A DIAGNOSIS:</strong> random weights, a pipeline demonstration only.
    </p>
  );
}
