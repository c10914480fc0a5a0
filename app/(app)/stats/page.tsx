import { AgreementTable } from "@/components/stats/agreement-table";
import { ChartCard } from "@/components/stats/chart-card";
import { StatsFilters } from "@/components/stats/stats-filters";
import { AgreementChart, PrevalenceChart, ProcessingChart, TriageMixChart, VolumeChart } from "@/components/stats/charts";
import { requireUser } from "@/lib/auth/guards";
import { loadAllCharts } from "@/lib/stats/charts";
import { StatsQuery } from "@/lib/stats/input";
import { worklistFilterOptions } from "@/lib/worklist/query";
import { STAFF_ROLES } from "@/lib/core/roles";
import { PageHeader } from "@/components/ui/page-header";

export const dynamic = "force-dynamic";
export const metadata = { title: "Statistics" };

export default async function StatsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser(STAFF_ROLES);
  const sp = await searchParams;
  const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);
  // A malformed link shows everything rather than an error page.
  const parsed = StatsQuery.safeParse({ days: one(sp.days), uploader: one(sp.uploader) });
  const { days, uploader } = parsed.success ? parsed.data : { days: undefined, uploader: undefined };
  const period = days ? String(days) : "all";
  const data = await loadAllCharts({ days, uploader });
  const { uploaders } = await worklistFilterOptions();
  const query = new URLSearchParams();
  if (days) query.set("days", String(days));
  if (uploader) query.set("uploader", uploader);
  const csv = (chart: string) => `/api/stats/${chart}${query.size ? `?${query}` : ""}`;
  const reviewed = Math.max(0, ...data.agreement.map((r) => r.n));

  return (
    <div className="min-h-[calc(100dvh-4rem)] space-y-4 bg-zinc-950 px-4 py-4 text-zinc-100 sm:px-6" data-testid="stats-page">
      <PageHeader title="Statistics" actions={<StatsFilters period={period} uploader={uploader ?? ""} uploaders={uploaders} />} />
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
