"use client";
import type { Decision } from "@/lib/reviews/input";
import { ProgressBar } from "@/components/ui/progress-bar";

export interface ReviewFinding {
  label: string;
  calibrated: number;
  positive: boolean;
}

/** What a decision means for this finding, in the words a report would use. */
export function decisionMeaning(positive: boolean, decision: Decision | undefined): string {
  if (!decision) return "Undecided";
  if (positive) return decision === "agree" ? "Confirmed" : "Rejected: false positive";
  return decision === "agree" ? "Absent: agreed" : "Present: missed by AI";
}

function Check() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round">
      <path d="m3.5 8.5 3 3 6-7" />
    </svg>
  );
}
function Cross() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round">
      <path d="m4.5 4.5 7 7m0-7-7 7" />
    </svg>
  );
}

/** One finding: score, the AI's call, and the reviewer's agree/disagree, on one compact line. */
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
  const meaning = decisionMeaning(finding.positive, decision);
  const btn = (d: Decision) => {
    const active = decision === d;
    const tone =
      d === "agree"
        ? active
          ? "bg-emerald-600 text-white ring-emerald-400"
          : "text-zinc-300 ring-zinc-600 hover:bg-emerald-600/25 hover:text-emerald-200"
        : active
          ? "bg-rose-600 text-white ring-rose-400"
          : "text-zinc-300 ring-zinc-600 hover:bg-rose-600/25 hover:text-rose-200";
    const text = d === "agree" ? "Agree" : "Disagree";
    return (
      <button
        type="button"
        disabled={readOnly}
        aria-pressed={active}
        aria-label={`${text}: ${finding.label.replaceAll("_", " ")}`}
        title={`${text} with the AI (${finding.positive ? (d === "agree" ? "present" : "absent") : d === "agree" ? "absent" : "present, missed"})`}
        data-testid={`decision-${finding.label}-${d}`}
        onClick={() => onDecide(d)}
        className={`inline-flex h-7 w-8 items-center justify-center rounded ring-1 transition-colors disabled:cursor-default ${tone} ${readOnly && !active ? "opacity-25" : ""}`}
      >
        {d === "agree" ? <Check /> : <Cross />}
      </button>
    );
  };
  const tint = selected ? "bg-sky-500/10 ring-1 ring-sky-500/40" : decision === "disagree" ? "bg-rose-500/[0.07]" : decision === "agree" ? "bg-emerald-500/[0.04]" : "";
  return (
    <li
      data-roving-row
      data-testid={`finding-row-${finding.label}`}
      data-decision={decision ?? ""}
      data-positive={finding.positive}
      className={`flex items-center gap-2 rounded px-1.5 py-1 hover:bg-white/5 ${tint}`}
    >
      <button type="button" onClick={onSelect} className="flex min-w-0 flex-1 items-center gap-2 text-left" title={`${meaning} · show heatmap`}>
        <span className={`h-2 w-2 shrink-0 rounded-full ${finding.positive ? "bg-amber-400" : "bg-zinc-600"}`} aria-label={finding.positive ? "AI positive" : "AI negative"} />
        <span className={`min-w-0 flex-1 truncate text-[13px] ${finding.positive ? "font-semibold text-zinc-50" : "text-zinc-300"}`}>
          {finding.label.replaceAll("_", " ")}
          {calledByTriage && !finding.positive && <span className="ml-1 text-[10px] font-normal text-amber-300">triage</span>}
        </span>
        <ProgressBar value={finding.calibrated} tone={finding.positive ? "warning" : "muted"} className="hidden h-1.5 w-14 shrink-0 sm:block" />
        <span className={`w-8 shrink-0 text-right font-mono text-[11px] ${finding.positive ? "text-amber-200" : "text-zinc-400"}`}>{finding.calibrated.toFixed(2)}</span>
      </button>
      <span className={`hidden w-24 shrink-0 truncate text-right text-[10px] 2xl:inline ${decision === "disagree" ? "text-rose-300" : decision ? "text-emerald-300" : "text-zinc-400"}`}>{meaning}</span>
      <span className="flex shrink-0 gap-1">
        {btn("agree")}
        {btn("disagree")}
      </span>
    </li>
  );
}
