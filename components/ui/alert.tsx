import type { ReactNode } from "react";
import { cn } from "./cn";

const tones = {
  info: "border-sky-800 bg-sky-950/60 text-sky-100",
  warning: "border-amber-700 bg-amber-950 text-amber-100",
  danger: "border-red-800 bg-red-950 text-red-100",
} as const;

export function Alert({ tone = "info", title, children, className, testId }: { tone?: keyof typeof tones; title?: ReactNode; children?: ReactNode; className?: string; testId?: string }) {
  return (
    <div role={tone === "info" ? "status" : "alert"} data-testid={testId} className={cn("rounded-md border px-3 py-2 text-sm", tones[tone], className)}>
      {title && <p className="font-semibold">{title}</p>}
      {children && <div className={title ? "mt-0.5" : undefined}>{children}</div>}
    </div>
  );
}
