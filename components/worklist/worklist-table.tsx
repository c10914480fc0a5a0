"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { ReviewStatusChip } from "@/components/review/review-status-chip";
import { TriageBadge } from "@/components/triage/triage-badge";
import type { WorklistRow, WorklistSort } from "@/lib/worklist/input";
import { relative } from "./relative-time";
import { Badge } from "@/components/ui/badge";
import { QueuedLabel } from "@/components/ui/queued-label";
import { formatScore } from "@/lib/core/finding-score";

const th = "sticky top-0 z-[1] bg-zinc-900 px-2 py-2 text-left text-[10px] font-semibold uppercase tracking-wider text-zinc-300";
const td = "px-2 py-2 align-middle";

/** DICOM dates (YYYYMMDD) as ISO days. */
const studyDay = (d: string) => (/^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}` : d);

const rowAccent: Record<string, string> = {
  critical: "border-l-red-500",
  abnormal: "border-l-amber-400",
  not_assessable: "border-l-zinc-500",
  normal: "border-l-emerald-600",
  processing: "border-l-sky-600",
};

/** A column header that sorts the list (aria-sort says how it is sorted now). */
function SortHeader({ label, sortKey, sort, dir, onSort, className = "" }: { label: string; sortKey: WorklistSort; sort: WorklistSort; dir: "asc" | "desc"; onSort: (k: WorklistSort) => void; className?: string }) {
  const active = sort === sortKey;
  return (
    <th className={`${th} ${className}`} aria-sort={active ? (dir === "desc" ? "descending" : "ascending") : "none"}>
      <button type="button" onClick={() => onSort(sortKey)} data-testid={`sort-${sortKey}`} className="inline-flex items-center gap-1 uppercase tracking-wider hover:text-white">
        {label}
        <span aria-hidden className={active ? "text-sky-300" : "text-zinc-600"}>
          {active ? (dir === "desc" ? "▼" : "▲") : "↕"}
        </span>
      </button>
    </th>
  );
}

export function WorklistTable({
  rows,
  now,
  openedAt,
  sort,
  dir,
  onSort,
}: {
  rows: WorklistRow[];
  now: number;
  openedAt: number;
  sort: WorklistSort;
  dir: "asc" | "desc";
  onSort: (k: WorklistSort) => void;
}) {
  const router = useRouter();
  const sortProps = { sort, dir, onSort };
  return (
    <div className="min-h-0 flex-1 overflow-auto rounded-lg border border-zinc-800">
      <table className="w-full min-w-[920px] border-collapse text-sm text-zinc-200" data-testid="worklist-table">
        <thead>
          <tr>
            <SortHeader label="Priority" sortKey="priority" {...sortProps} />
            <SortHeader label="Received" sortKey="received" {...sortProps} />
            <SortHeader label="Study date" sortKey="study_date" {...sortProps} />
            <th className={th}>Accession</th>
            <th className={th}>File</th>
            <th className={th}>View</th>
            <th className={th}>AI findings</th>
            <th className={`${th} hidden xl:table-cell`}>Why</th>
            <th className={th}>Review</th>
            <th className={`${th} hidden lg:table-cell`}>Uploaded by</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const isNew = new Date(r.createdAt).getTime() > openedAt;
            const href = `/analyses/${r.id}`;
            return (
              <tr
                key={r.id}
                data-testid="worklist-row"
                data-id={r.id}
                data-study-id={r.studyId}
                data-images={r.imageCount}
                data-views={r.views.join(",")}
                data-level={r.triageLevel ?? "processing"}
                onClick={(e) => {
                  if ((e.target as HTMLElement).closest("a")) return;
                  router.push(href);
                }}
                className={`cursor-pointer border-b border-l-4 border-b-zinc-800/80 ${rowAccent[r.triageLevel ?? "processing"]} ${
                  isNew ? "bg-sky-500/10" : "odd:bg-zinc-900/40"
                } hover:bg-white/5`}
              >
                <td className={td}>
                  <TriageBadge level={r.triageLevel} />
                </td>
                <td className={`${td} whitespace-nowrap text-xs`}>
                  <time dateTime={r.createdAt} title={new Date(r.createdAt).toLocaleString()}>
                    {relative(r.createdAt, now)}
                  </time>
                  {isNew && <span className="ml-1.5 rounded bg-sky-700 px-1 text-[9px] font-bold text-white">NEW</span>}
                </td>
                <td className={`${td} whitespace-nowrap font-mono text-xs text-zinc-300`} data-testid="worklist-study-date">
                  {r.studyDate ? studyDay(r.studyDate) : <span className="text-zinc-400">not given</span>}
                </td>
                <td className={`${td} font-mono text-xs`}>
                  <Link href={href} className="text-sky-300 hover:underline" data-testid="worklist-open" aria-label={r.accessionNumber ? undefined : `Open study (no accession number), file ${r.fileName}`}>
                    {r.accessionNumber ?? "—"}
                  </Link>
                </td>
                <td className={`${td} max-w-48 truncate text-xs text-zinc-300`} title={r.fileName}>
                  {r.fileName}
                </td>
                <td className={`${td} text-xs text-zinc-400`} data-testid="worklist-views">
                  {[r.modality, r.views.join(" + ")].filter(Boolean).join(" ") || "—"}
                  {r.imageCount > 1 && <span className="ml-1 rounded bg-zinc-800 px-1 text-[10px] text-zinc-300">{r.imageCount} images</span>}
                </td>
                <td className={td} data-testid="worklist-findings">
                  <div className="flex flex-nowrap gap-1 whitespace-nowrap" data-testid="worklist-chips">
                    {r.status === "failed" && <span className="text-xs text-rose-300">Analysis failed</span>}
                    {r.status === "queued" && <QueuedLabel position={r.queuePosition} testId="worklist-queued" />}
                    {r.status === "processing" && <span className="text-xs text-sky-300">Analysing…</span>}
                    {r.called.slice(0, 2).map((f) => (
                      <Badge key={f.label} className="whitespace-nowrap">
                        {f.label.replaceAll("_", " ")} <span className="ml-1 font-mono text-zinc-400">{formatScore(f.calibrated)}</span>
                      </Badge>
                    ))}
                    {r.called.length > 2 && (
                      <span className="self-center text-[11px] text-zinc-400" title={r.called.slice(2).map((f) => f.label.replaceAll("_", " ")).join(", ")}>
                        +{r.called.length - 2}
                      </span>
                    )}
                    {r.status === "completed" && r.called.length === 0 && <span className="text-xs text-zinc-400">none above threshold</span>}
                  </div>
                  {/* Below xl the Why column is folded in here, so the reason is never dropped on a narrow screen. */}
                  {r.triageReason && (
                    <p className="mt-1 max-w-72 whitespace-normal text-[11px] leading-snug text-zinc-400 xl:hidden" data-testid="worklist-why-inline">
                      {r.triageReason}
                    </p>
                  )}
                </td>
                {/* The whole reason, wrapped: a triage reason cut off mid-sentence can hide the finding that made it. */}
                <td className={`${td} hidden min-w-56 max-w-96 whitespace-normal text-xs leading-snug text-zinc-400 xl:table-cell`} data-testid="worklist-why">
                  {r.triageReason}
                </td>
                <td className={td}>
                  <div className="flex flex-col items-start gap-0.5">
                    <ReviewStatusChip status={r.reviewStatus} />
                    {r.reviewer && <span className="text-[10px] text-zinc-400">{r.reviewer}</span>}
                  </div>
                </td>
                <td className={`${td} hidden text-xs text-zinc-400 lg:table-cell`}>{r.uploader ?? "API"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
