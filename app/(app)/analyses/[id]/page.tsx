import { AnalysisFacts, UntrainedResultBanner } from "@/components/findings/analysis-facts";
import { FindingsList } from "@/components/findings/findings-list";
import { PacsDeliveryState } from "@/components/pacs/delivery-state";
import { AnalysisWorkspace } from "@/components/review/analysis-workspace";
import { ShareSection } from "@/components/share/share-section";
import { getAnalysisDetail } from "@/lib/analyses/queries";
import { notFoundOnMissing } from "@/lib/api/page-errors";
import { recordAudit } from "@/lib/audit/record";
import { requireUser } from "@/lib/auth/guards";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { deliveriesOf, deliveryTarget } from "@/lib/pacs/delivery-status";

export const dynamic = "force-dynamic";
export const metadata = { title: "Analysis" };

export default async function AnalysisPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser(STAFF_ROLES);
  const { id } = await params;
  const detail = await getAnalysisDetail(user, id).catch(notFoundOnMissing);
  await recordAudit({ actor: user, action: "analysis.view", targetType: "analysis", targetId: id });
  const { analysis } = detail;
  const deliveries = await deliveriesOf(id);

  return (
    <div className="space-y-4 px-4 py-4 sm:px-6" data-testid="analysis-page">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="min-w-0 truncate text-lg font-semibold" data-testid="analysis-title">
          {analysis.fileName}
        </h1>
        <p className="text-xs text-zinc-400">
          {analysis.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC · {analysis.status}
        </p>
      </div>
      <UntrainedResultBanner analysis={analysis} />
      <AnalysisWorkspace analysisId={id} imageUrl={`/api/analyses/${id}/image`} user={user} />
      <div className="grid gap-4 lg:grid-cols-2">
        <section className="rounded-lg border border-zinc-800 bg-zinc-950 p-4">
          <FindingsList findings={detail.findings} trained={analysis.modelTrained !== false} />
        </section>
        <section className="space-y-4 rounded-lg border border-zinc-800 bg-zinc-950 p-4">
          <AnalysisFacts analysis={analysis} />
          <PacsDeliveryState deliveries={deliveries} target={deliveryTarget()} />
          <ShareSection analysisId={id} user={user} />
        </section>
      </div>
    </div>
  );
}
