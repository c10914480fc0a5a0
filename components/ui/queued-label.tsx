/** "Queued · 2nd in line": an analysis waiting for a worker, as the upload page and the worklist show it. */
export function QueuedLabel({ position, testId }: { position: number | null | undefined; testId: string }) {
  return (
    <span className="text-xs text-zinc-300" data-testid={testId}>
      Queued{position ? ` · ${ordinal(position)} in line` : ""}
    </span>
  );
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}
