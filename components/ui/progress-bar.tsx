import { cn } from "./cn";

/** A horizontal bar for a 0..1 value; `marker` draws a thin line at that fraction (e.g. a threshold). */
export function ProgressBar({ value, marker, tone = "info", className, label }: { value: number; marker?: number; tone?: "info" | "danger"; className?: string; label?: string }) {
  const pct = Math.max(0, Math.min(1, value)) * 100;
  return (
    <span
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(pct)}
      className={cn("relative block h-2 overflow-hidden rounded bg-zinc-800", className)}
    >
      <span className={cn("absolute inset-y-0 left-0", tone === "danger" ? "bg-red-500" : "bg-sky-500")} style={{ width: `${pct.toFixed(1)}%` }} />
      {marker !== undefined && <span aria-hidden className="absolute inset-y-0 w-px bg-zinc-400" style={{ left: `${(marker * 100).toFixed(1)}%` }} />}
    </span>
  );
}
