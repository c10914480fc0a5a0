import type { ReactNode } from "react";

/** Title row of a page: heading, a short line under it, and actions on the right. */
export function PageHeader({
  title,
  description,
  actions,
  titleTestId,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  titleTestId?: string;
}) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <div className="min-w-0 space-y-1">
        <h1 className="truncate text-xl font-semibold tracking-tight text-white" data-testid={titleTestId}>
          {title}
        </h1>
        {description && <p className="text-sm text-zinc-400">{description}</p>}
      </div>
      {actions && <div className="flex shrink-0 items-center gap-2">{actions}</div>}
    </div>
  );
}
