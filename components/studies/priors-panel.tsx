"use client";
// The patient's earlier studies: date, triage, signed-off impression, and the one compared with now,
// with the change in calibrated score per finding against it (e.g. Effusion 0.12 → 0.71).
import Link from "next/link";
import { TriageBadge } from "@/components/triage/triage-badge";
import type { PriorView } from "@/lib/workspace/study-view";

export interface ScoreNow {
  label: string;
  calibrated: number;
}

const label = (l: string) => l.replaceAll("_", " ");

export function PriorsPanel({
  priors,
  compared,
  onCompare,
  current,
}: {
  priors: PriorView[];
  /** Index into priors of the study shown beside the current one, or null. */
  compared: number | null;
  onCompare: (index: number | null) => void;
  /** The current film's scores (empty for a film the model does not read). */
  current: ScoreNow[];
}) {
  if (priors.length === 0) {
    return (
      <p className="text-xs text-zinc-500" data-testid="priors-none">
        No earlier studies of this patient.
      </p>
    );
  }
  const prior = compared === null ? null : priors[compared];
  return (
    <div className="space-y-2" data-testid="priors-panel">
      <ul className="space-y-1">
        {priors.map((p, i) => (
          <li
            key={p.studyId}
            data-testid="prior-row"
            data-study-id={p.studyId}
            data-compared={compared === i}
            className={`rounded border px-2 py-1.5 text-xs ${compared === i ? "border-sky-500 bg-sky-500/10" : "border-zinc-800"}`}
          >
            <div className="flex items-center justify-between gap-2">
              <span className="font-mono text-zinc-200" data-testid="prior-date">
                {p.studyDate ?? `received ${p.receivedOn}`}
              </span>
              <TriageBadge level={p.triageLevel} />
            </div>
            <p className="mt-0.5 line-clamp-2 text-zinc-400" data-testid="prior-impression">
              {p.impression ? p.impression : <span className="italic text-zinc-500">Not signed off</span>}
            </p>
            <div className="mt-1 flex gap-2">
              <button
                type="button"
                data-testid="prior-compare"
                onClick={() => onCompare(compared === i ? null : i)}
                className="rounded px-1.5 py-0.5 text-sky-300 ring-1 ring-sky-700 hover:bg-sky-500/10"
              >
                {compared === i ? "Stop comparing" : "Compare side by side"}
              </button>
              <Link href={`/analyses/${p.analysisId}`} className="self-center text-zinc-400 hover:underline">
                Open
              </Link>
            </div>
          </li>
        ))}
      </ul>
      <p className="text-[10px] text-zinc-500">Keys: “.” older prior · “,” newer · “0” stop comparing.</p>
      {prior && current.length > 0 && (
        <div>
          <h3 className="mb-1 text-xs font-semibold uppercase tracking-wider text-zinc-400">Change since {prior.studyDate ?? prior.receivedOn}</h3>
          <ul className="space-y-0.5 text-xs" data-testid="score-changes">
            {[...current]
              .filter((f) => prior.scores[f.label] !== undefined)
              .sort((a, b) => Math.abs(b.calibrated - prior.scores[b.label]) - Math.abs(a.calibrated - prior.scores[a.label]))
              .map((f) => {
                const before = prior.scores[f.label];
                const delta = f.calibrated - before;
                return (
                  <li key={f.label} className="flex justify-between gap-2" data-testid="score-change" data-label={f.label} data-before={before} data-after={f.calibrated}>
                    <span>{label(f.label)}</span>
                    <span className={`font-mono tabular-nums ${delta >= 0.1 ? "text-rose-300" : delta <= -0.1 ? "text-emerald-300" : "text-zinc-400"}`}>
                      {before.toFixed(2)} → {f.calibrated.toFixed(2)}
                    </span>
                  </li>
                );
              })}
          </ul>
        </div>
      )}
    </div>
  );
}
