"use client";

/**
 * An instant in the reader's own time zone: the server renders in its zone and the browser corrects
 * it on hydration (hence the suppressed warning). A missing instant shows `empty`.
 */
export function LocalTime({ iso, empty = "—", className }: { iso: string | null; empty?: string; className?: string }) {
  if (!iso) return <span className="text-zinc-500">{empty}</span>;
  const text = new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  return (
    <time dateTime={iso} title={iso} className={className} suppressHydrationWarning>
      {text}
    </time>
  );
}
