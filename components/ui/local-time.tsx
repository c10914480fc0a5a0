"use client";

/** An instant in the viewer's own time zone (the server does not know it). */
export function LocalTime({ iso, empty = "—" }: { iso: string | null; empty?: string }) {
  if (!iso) return <span className="text-zinc-500">{empty}</span>;
  const d = new Date(iso);
  return (
    <time dateTime={iso} title={iso} suppressHydrationWarning>
      {d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}
    </time>
  );
}
