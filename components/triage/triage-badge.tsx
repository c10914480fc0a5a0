import { TRIAGE_LABEL, type TriageLevel } from "@/lib/triage/rules";

const styles: Record<TriageLevel | "processing", string> = {
  critical: "bg-red-600 text-white ring-red-400/60",
  abnormal: "bg-amber-400 text-amber-950 ring-amber-300/60",
  not_assessable: "bg-zinc-600 text-white ring-zinc-300/40",
  normal: "bg-emerald-600 text-white ring-emerald-400/50",
  processing: "bg-sky-900 text-sky-100 ring-sky-500/40 animate-pulse",
};

/** Colour plus word: the level must read the same for colour-blind readers and on a greyscale print. */
export function TriageBadge({ level, size = "sm" }: { level: TriageLevel | null; size?: "sm" | "md" }) {
  const key = level ?? "processing";
  const text = level ? TRIAGE_LABEL[level] : "Processing";
  return (
    <span
      data-testid="triage-badge"
      data-level={key}
      className={`inline-flex items-center whitespace-nowrap rounded font-semibold uppercase tracking-wide ring-1 ${styles[key]} ${
        size === "md" ? "px-2 py-1 text-xs" : "px-1.5 py-0.5 text-[10px]"
      }`}
    >
      {text}
    </span>
  );
}
