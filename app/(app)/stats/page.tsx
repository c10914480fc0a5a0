import Link from "next/link";
import { AgreementTable } from "@/components/stats/agreement-table";
import { ChartCard } from "@/components/stats/chart-card";
import { AgreementChart, PrevalenceChart, ProcessingChart, TriageMixChart, VolumeChart } from "@/components/stats/charts";
import { requireUser } from "@/lib/auth/guards";
import { loadAllCharts } from "@/lib/stats/charts";
import { STATS_PERIODS, StatsQuery } from "@/lib/stats/schema";

export const dynamic = "force-dynamic";
export const metadata = { title: "Statistics" };

const periodLabel: Record<(typeof STATS_PERIODS)[number], string> = { "7": "7 days", "30": "30 days", "90": "90 days", "365": "1 year", all: "All time" };

export default async function StatsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser(["admin", "radiologist"]);
  const raw = (await searchParams).days;
  const parsed = StatsQuery.safeParse({ days: typeof raw === "string" ? raw : undefined });
  const days = parsed.success ? parsed.data.days : undefined;
  const period = days ? String(days) : "all";
  const data = await loadAllCharts({ days });
  const csv = (chart: string) => `/api/stats/${chart}${days ? `?days=${days}` : ""}`;
  const reviewed = Math.max(0, ...data.agreement.map((r) => r.n));

  return (
    <div className="min-h-[calc(100dvh-4rem)] space-y-4 bg-zinc-950 px-4 py-4 text-zinc-100 sm:px-6" data-testid="stats-page">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-lg font-semibold">Statistics</h1>
        <nav className="flex gap-1 rounded-md bg-zinc-900 p-1 ring-1 ring-zinc-800" aria-label="Period">
          {STATS_PERIODS.map((p) => (
            <Link
              key={p}
              href={p === "all" ? "/stats" : `/stats?days=${p}`}
              aria-current={p === period ? "page" : undefined}
              className={`rounded px-2.5 py-1 text-xs ${p === period ? "bg-zinc-700 text-white" : "text-zinc-400 hover:text-zinc-200"}`}
            >
              {periodLabel[p]}
            </Link>
          ))}
        </nav>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <ChartCard id="volume" title="Studies per day" subtitle="Uploads per UTC day, by outcome" csvHref={csv("volume")}>
          <VolumeChart rows={data.volume} />
        </ChartCard>
        <ChartCard id="triage" title="Triage mix" subtitle="Studies per triage level" csvHref={csv("triage")}>
          <TriageMixChart rows={data.triage} />
        </ChartCard>
        <ChartCard id="prevalence" title="Finding prevalence" subtitle="Share of completed studies the AI calls positive, per finding" csvHref={csv("prevalence")}>
          <PrevalenceChart rows={data.prevalence} />
        </ChartCard>
        <ChartCard id="processing" title="Processing time" subtitle="Upload to result, per completed study" csvHref={csv("processing")}>
          <ProcessingChart rows={data.processing} />
        </ChartCard>
        <ChartCard
          id="agreement"
          wide
          title="AI–radiologist agreement"
          subtitle={`Sensitivity and specificity of the AI against signed-off reviews (${reviewed} reviewed ${reviewed === 1 ? "study" : "studies"}); whiskers are 95% Wilson intervals`}
          csvHref={csv("agreement")}
        >
          <AgreementChart rows={data.agreement} />
          <div className="mt-4">
            <AgreementTable rows={data.agreement} />
          </div>
          <p className="mt-2 text-[11px] text-zinc-500">
            TP: AI positive, radiologist agrees · FP: AI positive, radiologist disagrees · FN: AI negative, radiologist disagrees or adds it as missed · TN: AI negative, radiologist agrees. The current version of each signed-off review counts; drafts do not.
          </p>
        </ChartCard>
      </div>
    </div>
  );
}
