import { apiFetch } from "@/lib/api/browser-fetch";
import type { WorklistFilters, WorklistPage } from "@/lib/worklist/input";

/** POSTs the filters (a search term may be an accession number: it must not appear in a URL). */
export function fetchWorklist(filters: WorklistFilters): Promise<WorklistPage> {
  return apiFetch<WorklistPage>("/api/worklist", { method: "POST", json: filters });
}

/** A calendar day in the reader's time zone, as the instant it starts. */
export function localDayStart(day: string, plusDays = 0): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d + plusDays).toISOString();
}
