"use client";
import type { Decision } from "@/lib/reviews/schema";

export interface ReviewFinding {
  label: string;
  calibrated: number;
  positive: boolean;
}

/** What a decision means for this finding, in the words a report would use. */
export function decisionMeaning(positive: boolean, decision: Decision | undefined): string {
  if (!decision) return "Undecided";
  if (positive) return decision === "agree" ? "Confirmed" : "Rejected (false positive)";
  return decision === "agree" ? "Absent (agreed)" : "Present (missed by AI)";
}

export function FindingDecisionRow({
  finding,
  decision,
  readOnly,
  selected,
  calledByTriage,
  onDecide,
  onSelect,
}: {
  finding: ReviewFinding;
  decision: Decision | undefined;
  readOnly: boolean;
  selected: boolean;
  calledByTriage: boolean;
  onDecide: (d: Decision) => void;
  onSelect: () => void;
}) {
  const pct = Math.round(finding.calibrated * 100);
  const disagreement = decision === "disagree";
  const btn = (d: Decision, text: string) => {
    const active = decision === d;
    const tone =
      d === "agree"
        ? active
          ? "bg-emerald-600 text-white ring-emerald-400"
          : "text-zinc-300 ring-zinc-700 hover:bg-emerald-600/20"
        : active
          ? "bg-rose-600 text-white ring-rose-400"
          : "text-zinc-300 ring-zinc-700 hover:bg-rose-600/20";
    return (
      <button
        type="button"
        disabled={readOnly}
        aria-pressed={active}
        data-testid={`decision-${finding.label}-${d}`}
        onClick={() => onDecide(d)}
        className={`h-6 rounded px-2 text-[11px] font-medium ring-1 transition-colors disabled:cursor-default ${tone} ${readOnly && !active ? "opacity-30" : ""}`}
      >
        {text}
      </button>
    );
  };
  return (
    <li
      data-testid={`finding-row-${finding.label}`}
      data-decision={decision ?? ""}
      data-positive={finding.positive}
      className={`grid grid-cols-[minmax(0,1fr)_auto] items-center gap-x-2 gap-y-1 rounded px-2 py-1.5 ${
        selected ? "bg-sky-500/10 ring-1 ring-sky-500/40" : disagreement ? "bg-rose-500/5" : "hover:bg-white/5"
      }`}
    >
      <button type="button" onClick={onSelect} className="min-w-0 text-left" title="Show this finding's heatmap">
        <div className="flex items-center gap-1.5">
          <span className={`h-2 w-2 shrink-0 rounded-full ${finding.positive ? "bg-amber-400" : "bg-zinc-600"}`} aria-hidden />
          <span className={`truncate text-[13px] ${finding.positive ? "font-semibold text-zinc-50" : "text-zinc-300"}`}>
            {finding.label.replaceAll("_", " ")}
          </span>
          {calledByTriage && !finding.positive && <span className="text-[10px] text-amber-300" title="Above the site's triage threshold">triage</span>}
        </div>
        <div className="mt-1 flex items-center gap-2">
          <div className="h-1.5 w-full max-w-32 overflow-hidden rounded-full bg-zinc-800">
            <div className={`h-full ${finding.positive ? "bg-amber-400" : "bg-zinc-500"}`} style={{ width: `${pct}%` }} />
          </div>
          <span className="font-mono text-[11px] text-zinc-400">{finding.calibrated.toFixed(2)}</span>
          <span className={`text-[10px] uppercase tracking-wide ${finding.positive ? "text-amber-300" : "text-zinc-500"}`}>
            {finding.positive ? "AI positive" : "AI negative"}
          </span>
        </div>
      </button>
      <div className="flex flex-col items-end gap-1">
        <div className="flex gap-1">
          {btn("agree", "Agree")}
          {btn("disagree", "Disagree")}
        </div>
        <span className={`text-[10px] ${disagreement ? "text-rose-300" : decision ? "text-emerald-300/80" : "text-zinc-500"}`}>
          {decisionMeaning(finding.positive, decision)}
        </span>
      </div>
    </li>
  );
}
