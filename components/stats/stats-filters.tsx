"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { STATS_PERIODS } from "@/lib/stats/input";

const periodLabel: Record<(typeof STATS_PERIODS)[number], string> = { "7": "7 days", "30": "30 days", "90": "90 days", "365": "1 year", all: "All time" };

export function statsHref(period: string, uploader: string): string {
  const q = new URLSearchParams();
  if (period !== "all") q.set("days", period);
  if (uploader) q.set("uploader", uploader);
  const s = q.toString();
  return s ? `/stats?${s}` : "/stats";
}

/** Period and uploader of the statistics; both live in the URL so a view can be bookmarked. */
export function StatsFilters({ period, uploader, uploaders }: { period: string; uploader: string; uploaders: { id: string; name: string }[] }) {
  const router = useRouter();
  return (
    <div className="flex flex-wrap items-center gap-2">
      <select
        aria-label="Uploaded by"
        data-testid="stats-uploader"
        value={uploader}
        onChange={(e) => router.push(statsHref(period, e.target.value))}
        className="h-8 rounded border border-zinc-700 bg-zinc-900 px-2 text-xs text-zinc-100"
      >
        <option value="">All uploaders</option>
        {uploaders.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name}
          </option>
        ))}
      </select>
      <nav className="flex gap-1 rounded-md bg-zinc-900 p-1 ring-1 ring-zinc-800" aria-label="Period">
        {STATS_PERIODS.map((p) => (
          <Link
            key={p}
            href={statsHref(p, uploader)}
            aria-current={p === period ? "page" : undefined}
            className={`rounded px-2.5 py-1 text-xs ${p === period ? "bg-zinc-700 text-white" : "text-zinc-400 hover:text-zinc-200"}`}
          >
            {periodLabel[p]}
          </Link>
        ))}
      </nav>
    </div>
  );
}
