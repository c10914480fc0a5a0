import { AnalysisFacts, UntrainedResultBanner } from "@/components/findings/analysis-facts";
import { FindingsList } from "@/components/findings/findings-list";
import { PacsDeliveryState } from "@/components/pacs/delivery-state";
import { AnalysisWorkspace } from "@/components/review/analysis-workspace";
import { ShareSection } from "@/components/share/share-section";
import { StudyStrip } from "@/components/studies/study-strip";
import { spacingOf } from "@/lib/studies/measurements";
import { loadStudyView } from "@/lib/workspace/study-view";
import { getAnalysisDetail } from "@/lib/analyses/queries";
import { findAnatomy } from "@/lib/analyses/anatomy-store";
import { notFoundOnMissing } from "@/lib/api/page-errors";
import { recordAudit } from "@/lib/audit/record";
import { requireUser } from "@/lib/auth/guards";
import { STAFF_ROLES } from "@/lib/core/roles";
import { deliveriesOf, deliveryTarget } from "@/lib/pacs/delivery-status";
import { StudyNavigation } from "@/components/worklist/study-navigation";
import type { Metadata } from "next";
import { cache } from "react";

export const dynamic = "force-dynamic";

// One read per request for the title and the page.
const load = cache(async (id: string) => {
  const user = await requireUser(STAFF_ROLES);
  return { user, detail: await getAnalysisDetail(user, id).catch(notFoundOnMissing) };
});

const day = (d: string | null) => (d && /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}` : d);

/** The tab names the study by what it is and when (never the file name or anything of the patient's). */
export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { analysis } = (await load((await params).id)).detail;
  const kind = [analysis.modality, analysis.viewPosition].filter(Boolean).join(" ") || "Film";
  return { title: `Result · ${kind} · ${day(analysis.studyDate) ?? analysis.createdAt.toISOString().slice(0, 10)}` };
}

export default async function AnalysisPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { user, detail } = await load(id);
  await recordAudit({ actor: user, action: "analysis.view", targetType: "analysis", targetId: id });
  const { analysis } = detail;
  const deliveries = await deliveriesOf(id);
  const study = await loadStudyView(user, id);
  const spacing = spacingOf(analysis.metadata);
  // Visibility was checked by load(): the anatomy belongs to the analysis.
  const anatomy = study.frontal ? await findAnatomy(id) : null;

  return (
    <div className="space-y-2 px-2 py-1.5 sm:px-3" data-testid="analysis-page">
      {/* The film first: title, study facts, the study's images and the model notice share one line. */}
      <div className="flex min-h-8 flex-wrap items-center gap-x-3 gap-y-1" data-testid="study-header" data-study-id={study.study.id} data-images={study.study.images.length}>
        <h1 className="min-w-0 max-w-[20rem] truncate text-base font-semibold tracking-tight text-white" data-testid="analysis-title" title={analysis.fileName}>
          {analysis.fileName}
        </h1>
        <p className="text-xs text-zinc-400">
          Study {study.study.studyDate ?? "date not given"} · {study.study.images.length} image{study.study.images.length === 1 ? "" : "s"} ·{" "}
          {spacing ? `pixel spacing ${spacing[0]} × ${spacing[1]} mm` : "uncalibrated"} · received{" "}
          {analysis.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC
        </p>
        {study.study.images.length > 1 && <StudyStrip study={study.study} currentId={id} />}
        <UntrainedResultBanner analysis={analysis} />
        <StudyNavigation analysisId={id} />
      </div>
      <AnalysisWorkspace analysisId={id} imageUrl={`/api/analyses/${id}/image`} user={user} study={study} pixelSpacing={spacing} />
      <div className="grid gap-4 lg:grid-cols-2">
        <section className="rounded-lg border border-zinc-800 bg-zinc-950 p-4">
          {study.frontal ? (
            <FindingsList
              findings={detail.findings}
              trained={analysis.modelTrained !== false}
              zones={anatomy?.summary.findingZones ? { byLabel: anatomy.summary.findingZones, trained: anatomy.summary.model.trained } : undefined}
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
