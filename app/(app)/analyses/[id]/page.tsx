import { AnalysisFacts, UntrainedResultBanner } from "@/components/findings/analysis-facts";
import { FindingsList } from "@/components/findings/findings-list";
import { PacsDeliveryState } from "@/components/pacs/delivery-state";
import { AnalysisWorkspace } from "@/components/review/analysis-workspace";
import { ShareSection } from "@/components/share/share-section";
import { StudyStrip } from "@/components/studies/study-strip";
import { spacingOf } from "@/lib/studies/measurements";
import { loadStudyView } from "@/lib/workspace/study-view";
import { getAnalysisDetail } from "@/lib/analyses/queries";
import { notFoundOnMissing } from "@/lib/api/page-errors";
import { recordAudit } from "@/lib/audit/record";
import { requireUser } from "@/lib/auth/guards";
import { STAFF_ROLES } from "@/lib/core/roles";
import { deliveriesOf, deliveryTarget } from "@/lib/pacs/delivery-status";
import { PageHeader } from "@/components/ui/page-header";

export const dynamic = "force-dynamic";
export const metadata = { title: "Analysis" };

export default async function AnalysisPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser(STAFF_ROLES);
  const { id } = await params;
  const detail = await getAnalysisDetail(user, id).catch(notFoundOnMissing);
  await recordAudit({ actor: user, action: "analysis.view", targetType: "analysis", targetId: id });
  const { analysis } = detail;
  const deliveries = await deliveriesOf(id);
  const study = await loadStudyView(user, id);
  const spacing = spacingOf(analysis.metadata);

  return (
    <div className="space-y-4 px-4 py-4 sm:px-6" data-testid="analysis-page">
      <PageHeader
        title={analysis.fileName}
        titleTestId="analysis-title"
        description={`${analysis.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC · ${analysis.status}`}
      />
      <div className="flex flex-wrap items-end gap-4" data-testid="study-header" data-study-id={study.study.id} data-images={study.study.images.length}>
        <div className="text-xs text-zinc-400">
          <div className="font-semibold uppercase tracking-wider text-zinc-300">Study</div>
          <div>
            {study.study.studyDate ?? "No study date"} · {study.study.images.length} image{study.study.images.length === 1 ? "" : "s"} ·{" "}
            {spacing ? `pixel spacing ${spacing[0]} × ${spacing[1]} mm` : "uncalibrated (no pixel spacing)"}
          </div>
        </div>
        {study.study.images.length > 1 && <StudyStrip study={study.study} currentId={id} />}
      </div>
      <UntrainedResultBanner analysis={analysis} />
      <AnalysisWorkspace analysisId={id} imageUrl={`/api/analyses/${id}/image`} user={user} study={study} pixelSpacing={spacing} />
      <div className="grid gap-4 lg:grid-cols-2">
        <section className="rounded-lg border border-zinc-800 bg-zinc-950 p-4">
          {study.frontal ? (
            <FindingsList
              findings={detail.findings}
              trained={analysis.modelTrained !== false}
              prior={study.priors[0] ? { date: study.priors[0].studyDate ?? study.priors[0].receivedOn, scores: study.priors[0].scores } : undefined}
            />
          ) : (
            <p className="text-xs text-zinc-400" data-testid="findings-not-assessable">
              Lateral (non-frontal) view: the model reads frontal films only, so no findings are reported for this image.
            </p>
          )}
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
