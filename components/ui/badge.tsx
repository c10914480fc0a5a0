import type { HTMLAttributes } from "react";
import { cn } from "./cn";

const tones = {
  neutral: "bg-zinc-800 text-zinc-300",
  info: "bg-sky-950 text-sky-200 ring-1 ring-sky-800",
  warning: "bg-amber-950 text-amber-100 ring-1 ring-amber-700",
  danger: "bg-red-950 text-red-100 ring-1 ring-red-700",
  success: "bg-emerald-950 text-emerald-100 ring-1 ring-emerald-700",
} as const;

export function Badge({ tone = "neutral", className, ...rest }: HTMLAttributes<HTMLSpanElement> & { tone?: keyof typeof tones }) {
  return <span className={cn("inline-flex items-center rounded px-1.5 py-0.5 text-[11px] font-medium", tones[tone], className)} {...rest} />;
}
