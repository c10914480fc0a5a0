import { AutoRefresh } from "@/components/validation/auto-refresh";
import { FindingsPanel } from "@/components/validation/findings-panel";
import { UntrainedValidationBanner } from "@/components/validation/untrained-validation-banner";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { notFoundOnMissing } from "@/lib/api/page-errors";
import { isUuid } from "@/lib/core/uuid-param";
import { requireUser } from "@/lib/auth/guards";
import { isAdmin, STAFF_ROLES } from "@/lib/core/roles";
import { AppError } from "@/lib/core/errors";
import { getSetView } from "@/lib/validation/queries";
import { classifierComparison } from "@/lib/validation/classifier-comparison";
import { ClassifierComparisonTable } from "@/components/validation/classifier-comparison-table";

export const dynamic = "force-dynamic";
export const metadata = { title: "Validation set" };

const link = "rounded px-2 py-1 text-xs font-medium text-sky-300 ring-1 ring-sky-800 hover:bg-sky-500/10";

export default async function ValidationSetPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser(STAFF_ROLES);
  const { id } = await params;
  if (!isUuid(id)) notFoundOnMissing(new AppError("not_found", "No such validation set."));
  const view = await getSetView(id).catch(notFoundOnMissing);
  const { set } = view;
  const comparison = set.status === "completed" ? await classifierComparison(set.id) : null;
  const source = set.source === "reviews" ? `signed-off reviews ${set.periodFrom} – ${set.periodTo}` : "uploaded images with a labels CSV";
  const model = set.modelName ? `${set.modelName} v${set.modelVersion}` : "model not known yet";

  return (
    <div className="space-y-4 px-4 py-4 sm:px-6" data-testid="validation-set-page" data-status={set.status}>
      <PageHeader
        title={set.name}
        description={`Ground truth: ${source} · ${model} · ${set.summary.analysed} of ${set.summary.cases} cases analysed${set.summary.failed ? `, ${set.summary.failed} failed` : ""}`}
        actions={
          set.status === "completed" && (
            <>
              <a className={link} href={`/api/validation/sets/${set.id}/csv`} download data-testid="export-csv">
                CSV
              </a>
              <a className={link} href={`/api/validation/sets/${set.id}/csv?kind=scores`} download data-testid="export-scores">
                Scores CSV
              </a>
              <a className={link} href={`/api/validation/sets/${set.id}/pdf`} download data-testid="export-pdf">
                PDF
              </a>
            </>
          )
        }
      />
      {set.modelTrained === false && <UntrainedValidationBanner />}
      {set.status === "processing" && (
        <>
          <AutoRefresh />
          <Alert title="Analysing the images…" testId="validation-processing">
            The results appear when every image of the set has been analysed.
          </Alert>
        </>
      )}
      {set.status === "failed" && <Alert tone="danger" title="No results">{set.error}</Alert>}
      {set.status === "completed" && (
        <>
          <p className="text-xs text-zinc-500">
            AUC and calibration on the model&apos;s probability; thresholds on the calibrated score that triage uses. Confusion counts at the CURRENT site thresholds.
            {set.source === "reviews" &&
              " Reviews as ground truth were made while seeing the AI's calls: where a reviewer simply agreed, truth follows the model, so these numbers flatter it (verification bias). A set labelled independently is the stronger test."}
          </p>
          <FindingsPanel setId={set.id} findings={view.findings} thresholds={view.currentThresholds} canApply={isAdmin(user)} />
          {comparison && <ClassifierComparisonTable comparison={comparison} />}
        </>
      )}
    </div>
  );
}
