import type { WorklistFilters, WorklistPage } from "@/lib/worklist/schema";

/** POSTs the filters (a search term may be an accession number: it must not appear in a URL). */
export async function fetchWorklist(filters: WorklistFilters): Promise<WorklistPage> {
  const res = await fetch("/api/worklist", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(filters),
    cache: "no-store",
  });
  if (!res.ok) {
    const problem = (await res.json().catch(() => null)) as { detail?: string } | null;
    throw new Error(problem?.detail ?? `The worklist could not be loaded (${res.status}).`);
  }
  return (await res.json()) as WorklistPage;
}

/** A calendar day in the reader's time zone, as the instant it starts. */
export function localDayStart(day: string, plusDays = 0): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d + plusDays).toISOString();
}
