"use client";
/** A timestamp in the reader's own time zone (the server renders its zone; the browser corrects it). */
export function LocalTime({ iso, className }: { iso: string; className?: string }) {
  const d = new Date(iso);
  const text = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(d);
  return (
    <time dateTime={iso} className={className} suppressHydrationWarning title={d.toISOString()}>
      {text}
    </time>
  );
}
