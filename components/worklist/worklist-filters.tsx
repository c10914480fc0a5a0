"use client";
import { TRIAGE_LABEL, TRIAGE_LEVELS } from "@/lib/triage/rules";
import { REVIEW_STATUS_LABEL, REVIEW_STATUSES } from "@/lib/worklist/input";

export interface FilterState {
  q: string;
  status: string;
  triage: string;
  finding: string;
  uploader: string;
  fromDay: string;
  toDay: string;
}

export const EMPTY_FILTERS: FilterState = { q: "", status: "", triage: "", finding: "", uploader: "", fromDay: "", toDay: "" };

const field = "h-8 rounded border border-zinc-700 bg-zinc-900 px-2 text-xs text-zinc-100 focus:border-sky-500 focus:outline-none";

export function WorklistFiltersBar({
  value,
  onChange,
  labels,
  uploaders,
}: {
  value: FilterState;
  onChange: (next: FilterState) => void;
  labels: string[];
  uploaders: { id: string; name: string }[];
}) {
  const set = (k: keyof FilterState) => (e: { target: { value: string } }) => onChange({ ...value, [k]: e.target.value });
  const active = Object.entries(value).some(([, v]) => v !== "");
  return (
    <div className="flex flex-wrap items-end gap-2" role="search" data-testid="worklist-filters">
      <label className="flex min-w-52 flex-1 flex-col gap-0.5 text-[10px] uppercase tracking-wider text-zinc-500">
        Search
        <input type="search" value={value.q} onChange={set("q")} placeholder="Accession or file name" className={field} data-testid="filter-search" maxLength={120} />
      </label>
      <label className="flex flex-col gap-0.5 text-[10px] uppercase tracking-wider text-zinc-500">
        Status
        <select value={value.status} onChange={set("status")} className={field} data-testid="filter-status">
          <option value="">All</option>
          {REVIEW_STATUSES.map((s) => (
            <option key={s} value={s}>
              {REVIEW_STATUS_LABEL[s]}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-0.5 text-[10px] uppercase tracking-wider text-zinc-500">
        Triage
        <select value={value.triage} onChange={set("triage")} className={field} data-testid="filter-triage">
          <option value="">All</option>
          {TRIAGE_LEVELS.map((l) => (
            <option key={l} value={l}>
              {TRIAGE_LABEL[l]}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-0.5 text-[10px] uppercase tracking-wider text-zinc-500">
        Finding
        <select value={value.finding} onChange={set("finding")} className={`${field} max-w-44`} data-testid="filter-finding">
          <option value="">Any</option>
          {labels.map((l) => (
            <option key={l} value={l}>
              {l.replaceAll("_", " ")}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-0.5 text-[10px] uppercase tracking-wider text-zinc-500">
        From
        <input type="date" value={value.fromDay} onChange={set("fromDay")} className={field} data-testid="filter-from" />
      </label>
      <label className="flex flex-col gap-0.5 text-[10px] uppercase tracking-wider text-zinc-500">
        To
        <input type="date" value={value.toDay} onChange={set("toDay")} className={field} data-testid="filter-to" />
      </label>
      <label className="flex flex-col gap-0.5 text-[10px] uppercase tracking-wider text-zinc-500">
        Uploader
        <select value={value.uploader} onChange={set("uploader")} className={`${field} max-w-44`} data-testid="filter-uploader">
          <option value="">Anyone</option>
          {uploaders.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        disabled={!active}
        onClick={() => onChange(EMPTY_FILTERS)}
        className="h-8 rounded px-3 text-xs text-zinc-300 ring-1 ring-zinc-700 hover:bg-white/10 disabled:opacity-40"
        data-testid="filter-clear"
      >
        Clear
      </button>
    </div>
  );
}
