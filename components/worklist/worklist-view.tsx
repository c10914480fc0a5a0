"use client";
// The live worklist: filters and sort in the page's URL, so open → back and a reload keep the reader's
// place (the search text, which may be an accession number, stays out of it: worklist-place.ts); the
// list polled every few seconds so new uploads and finished analyses appear without a reload.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import type { WorklistSort } from "@/lib/worklist/input";
import { TRIAGE_LABEL, type TriageLevel } from "@/lib/triage/rules";
import { fetchWorklist, localDayStart } from "./worklist-api";
import { WorklistFiltersBar, type FilterState } from "./worklist-filters";
import { placeFromQuery, queryFromPlace, rememberOrder, rememberSearch, storedSearch, type WorklistPlace } from "./worklist-place";
import { WorklistTable } from "./worklist-table";
import { useNow } from "./relative-time";
import { useDebounced } from "./use-debounced";
import { Alert } from "@/components/ui/alert";

export const WORKLIST_POLL_MS = 5_000;
const PAGE_SIZE = 50;

const chipOrder: (TriageLevel | "processing")[] = ["critical", "processing", "abnormal", "not_assessable", "normal"];
const chipTone: Record<string, string> = {
  critical: "text-red-300 ring-red-700/60",
  processing: "text-sky-300 ring-sky-700/60",
  abnormal: "text-amber-300 ring-amber-700/60",
  not_assessable: "text-zinc-300 ring-zinc-600",
  normal: "text-emerald-300 ring-emerald-700/60",
};

export function WorklistView({ labels, uploaders }: { labels: string[]; uploaders: { id: string; name: string }[] }) {
  const params = useSearchParams();
  const pathname = usePathname();
  const [place, setPlace] = useState<WorklistPlace>(() => placeFromQuery(new URLSearchParams(params.toString())));
  const { filters, page } = place;
  // The search text is kept in this tab's storage, which only the browser has: restored after hydration.
  useEffect(() => {
    const q = storedSearch();
    if (q) setPlace((p) => ({ ...p, filters: { ...p.filters, q } })); // eslint-disable-line react-hooks/set-state-in-effect -- browser-only storage
  }, []);
  const go = (next: WorklistPlace) => {
    setPlace(next);
    rememberSearch(next.filters.q);
    // The native history API: Next keeps its router in step, without a server round trip per change.
    const url = `${pathname}${queryFromPlace(next)}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, "", url);
  };
  const [openedAt] = useState(() => Date.now());
  const now = useNow();
  const q = useDebounced(filters.q.trim());
  const body = {
    q,
    status: filters.status,
    triage: filters.triage,
    finding: filters.finding,
    uploader: filters.uploader,
    from: filters.fromDay ? localDayStart(filters.fromDay) : "",
    // "To" is inclusive for people: up to the start of the next day.
    to: filters.toDay ? localDayStart(filters.toDay, 1) : "",
    sort: place.sort,
    dir: place.dir,
    page,
    pageSize: PAGE_SIZE,
  };
  const query = useQuery({
    queryKey: ["worklist", body],
    queryFn: () => fetchWorklist(body),
    refetchInterval: WORKLIST_POLL_MS,
    refetchIntervalInBackground: false,
    placeholderData: keepPreviousData,
  });
  const change = (next: FilterState) => go({ ...place, filters: next, page: 1 });
  const setPage = (to: number) => go({ ...place, page: to });
  const sortBy = (key: WorklistSort) => go({ ...place, sort: key, dir: place.sort === key && place.dir === "desc" ? "asc" : "desc", page: 1 });
  const data = query.data;
  // A result page steps to the next and previous study in the order on screen.
  useEffect(() => {
    if (data) rememberOrder(data.rows.map((r) => r.id), `${pathname}${queryFromPlace(place)}`);
  }, [data, pathname, place]);
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const allCount = data ? Object.values(data.counts).reduce((a, b) => a + (b ?? 0), 0) : 0;

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label="Triage level">
          <button
            type="button"
            onClick={() => change({ ...filters, triage: "" })}
            aria-pressed={filters.triage === ""}
            className={`h-7 rounded px-2.5 text-xs ring-1 ring-zinc-700 ${filters.triage === "" ? "bg-white/10 text-white" : "text-zinc-400 hover:bg-white/5"}`}
          >
            All <span className="font-mono">{allCount}</span>
          </button>
          {chipOrder
            .filter((l) => l !== "processing" || (data?.counts.processing ?? 0) > 0)
            .map((l) => (
              <button
                key={l}
                type="button"
                data-testid={`triage-chip-${l}`}
                disabled={l === "processing"}
                onClick={() => change({ ...filters, triage: filters.triage === l ? "" : l })}
                aria-pressed={filters.triage === l}
                className={`h-7 rounded px-2.5 text-xs ring-1 ${chipTone[l]} ${filters.triage === l ? "bg-white/10" : "hover:bg-white/5"} disabled:cursor-default`}
              >
                {l === "processing" ? "Processing" : TRIAGE_LABEL[l]} <span className="font-mono">{data?.counts[l] ?? 0}</span>
              </button>
            ))}
        </div>
        <div className="flex items-center gap-2 text-[11px] text-zinc-400" data-testid="worklist-live" aria-live="polite">
          <span className={`h-2 w-2 rounded-full ${query.isError ? "bg-rose-500" : "bg-emerald-500"} ${query.isFetching ? "animate-pulse" : ""}`} aria-hidden />
          {query.isError ? "Connection problem, retrying" : "Live"}
          {query.dataUpdatedAt > 0 && <span suppressHydrationWarning>· updated {new Date(query.dataUpdatedAt).toLocaleTimeString()}</span>}
        </div>
      </div>
      <WorklistFiltersBar value={filters} onChange={change} labels={labels} uploaders={uploaders} />
      {query.isError && <Alert tone="danger" className="text-xs">{(query.error as Error).message}</Alert>}
      {!data ? (
        <div className="flex-1 animate-pulse rounded-lg border border-zinc-800 bg-zinc-900/50" data-testid="worklist-loading" />
      ) : data.rows.length === 0 ? (
        <div className="flex flex-1 items-center justify-center rounded-lg border border-dashed border-zinc-800 p-10 text-sm text-zinc-400" data-testid="worklist-empty">
          No studies match these filters.
        </div>
      ) : (
        <WorklistTable rows={data.rows} now={now} openedAt={openedAt} sort={place.sort} dir={place.dir} onSort={sortBy} />
      )}
      {data && (
        <div className="flex items-center justify-between text-xs text-zinc-400">
          <span data-testid="worklist-total">
            {data.total} {data.total === 1 ? "study" : "studies"}
          </span>
          {pages > 1 && (
            <div className="flex items-center gap-2">
              <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)} className="rounded px-2 py-1 ring-1 ring-zinc-700 disabled:opacity-40">
                Previous
              </button>
              <span>
                Page {page} of {pages}
              </span>
              <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)} className="rounded px-2 py-1 ring-1 ring-zinc-700 disabled:opacity-40">
                Next
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
