import type { HTMLAttributes, ReactNode } from "react";
import { cn } from "./cn";

/** A bordered panel with an optional title row. */
export function Card({
  title,
  actions,
  className,
  children,
  ...rest
}: Omit<HTMLAttributes<HTMLElement>, "title"> & { title?: ReactNode; actions?: ReactNode }) {
  return (
    <section className={cn("rounded-lg border border-zinc-800 bg-zinc-900/50 p-4", className)} {...rest}>
      {(title || actions) && (
        <div className="mb-3 flex items-center justify-between gap-2">
          {title && <h2 className="text-sm font-semibold text-white">{title}</h2>}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}
