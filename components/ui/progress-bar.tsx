import { cn } from "./cn";

const tones = { info: "bg-sky-500", danger: "bg-red-500", warning: "bg-amber-400", muted: "bg-zinc-500" } as const;

/**
 * A horizontal bar for a 0..1 value; `marker` draws a thin line at that fraction (e.g. a threshold).
 * With a `label` it is announced as a progress bar; without one it is decoration beside a number
 * that is already written out, and hidden from assistive technology. `className` sets its display and height (default: block, h-2).
 */
export function ProgressBar({
  value,
  marker,
  tone = "info",
  className,
  label,
}: {
  value: number;
  marker?: number;
  tone?: keyof typeof tones;
  className?: string;
  label?: string;
}) {
  const pct = Math.max(0, Math.min(1, value)) * 100;
  const a11y = label
    ? { role: "progressbar", "aria-label": label, "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": Math.round(pct) }
    : { "aria-hidden": true };
  return (
    <span {...a11y} className={cn("relative overflow-hidden rounded bg-zinc-800", className ?? "block h-2")}>
      <span className={cn("absolute inset-y-0 left-0", tones[tone])} style={{ width: `${pct.toFixed(1)}%` }} />
      {marker !== undefined && <span aria-hidden className="absolute inset-y-0 w-px bg-zinc-400" style={{ left: `${(marker * 100).toFixed(1)}%` }} />}
    </span>
  );
}
