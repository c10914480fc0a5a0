"use client";
// Where the reader is in the worklist: the filters and sort travel in the page's URL (so open → back
// and a reload keep them), except the search text, which can be an accession number and so stays out
// of URLs and history (kept in this tab's sessionStorage instead). The order of the rows last shown is
// kept too, so a result page can step to the next and previous study in that order.
import { EMPTY_FILTERS, type FilterState } from "./worklist-filters";
import { WORKLIST_SORTS, type WorklistSort } from "@/lib/worklist/input";

export interface WorklistPlace {
  filters: FilterState;
  sort: WorklistSort;
  dir: "asc" | "desc";
  page: number;
}

const SEARCH_KEY = "worklist.search";
const ORDER_KEY = "worklist.order";
const URL_FILTERS = ["status", "triage", "finding", "uploader", "fromDay", "toDay"] as const;

export const DEFAULT_SORT: WorklistSort = "priority";

function storage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.sessionStorage;
  } catch {
    return null;
  }
}

/** The place a worklist URL's query describes (unknown values fall back to the defaults). */
export function placeFromQuery(params: URLSearchParams): WorklistPlace {
  const filters: FilterState = { ...EMPTY_FILTERS };
  for (const k of URL_FILTERS) filters[k] = params.get(k) ?? "";
  const sort = (WORKLIST_SORTS as readonly string[]).includes(params.get("sort") ?? "") ? (params.get("sort") as WorklistSort) : DEFAULT_SORT;
  const dir = params.get("dir") === "asc" ? "asc" : "desc";
  const page = Math.max(1, Math.min(10_000, Number.parseInt(params.get("page") ?? "1", 10) || 1));
  return { filters, sort, dir, page };
}

export function rememberSearch(q: string): void {
  storage()?.setItem(SEARCH_KEY, q);
}

/** The search text last typed in this tab (kept out of the URL). */
export function storedSearch(): string {
  return storage()?.getItem(SEARCH_KEY) ?? "";
}

/** The query string for a place (the search text is kept aside, never in it). */
export function queryFromPlace(place: WorklistPlace): string {
  const params = new URLSearchParams();
  for (const k of URL_FILTERS) if (place.filters[k]) params.set(k, place.filters[k]);
  if (place.sort !== DEFAULT_SORT) params.set("sort", place.sort);
  if (place.dir !== "desc") params.set("dir", place.dir);
  if (place.page > 1) params.set("page", String(place.page));
  const s = params.toString();
  return s ? `?${s}` : "";
}

/** Remembers the order of the rows on screen and the URL that shows them. */
export function rememberOrder(ids: string[], worklistUrl: string): void {
  storage()?.setItem(ORDER_KEY, JSON.stringify({ ids, worklistUrl }));
}

/** The studies before and after `id` in the worklist order last shown in this tab. */
export function neighbours(id: string): { previous: string | null; next: string | null; worklistUrl: string | null } {
  try {
    const saved = JSON.parse(storage()?.getItem(ORDER_KEY) ?? "null") as { ids: string[]; worklistUrl: string } | null;
    const at = saved?.ids.indexOf(id) ?? -1;
    if (!saved || at < 0) return { previous: null, next: null, worklistUrl: null };
    return { previous: saved.ids[at - 1] ?? null, next: saved.ids[at + 1] ?? null, worklistUrl: saved.worklistUrl };
  } catch {
    return { previous: null, next: null, worklistUrl: null };
  }
}
