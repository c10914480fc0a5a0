import type { ReactNode } from "react";

/** A statistics card: title, what it counts, the chart, and the CSV of the numbers behind it. */
export function ChartCard({
  id,
  title,
  subtitle,
  csvHref,
  children,
  wide = false,
}: {
  id: string;
  title: string;
  subtitle: string;
  csvHref: string;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <section className={`flex min-w-0 flex-col rounded-lg border border-zinc-800 bg-zinc-900/60 p-4 ${wide ? "lg:col-span-2" : ""}`} data-testid={`chart-${id}`} aria-labelledby={`chart-${id}-title`}>
      <header className="mb-3 flex items-start justify-between gap-3">
        <div>
          <h2 id={`chart-${id}-title`} className="text-sm font-semibold text-zinc-100">
            {title}
          </h2>
          <p className="text-xs text-zinc-400">{subtitle}</p>
        </div>
        <a href={csvHref} download data-testid={`csv-${id}`} className="shrink-0 rounded px-2 py-1 text-[11px] font-medium text-sky-300 ring-1 ring-sky-800 hover:bg-sky-500/10">
          CSV
        </a>
      </header>
      <div className="min-h-0 flex-1">{children}</div>
    </section>
  );
}
