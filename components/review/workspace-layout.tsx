"use client";
// Viewer on the left, triage and review on the right (stacked on a portrait tablet). Picking a finding
// in the review list shows its heatmap in the viewer, and picking one in the viewer highlights the row.
import { useCallback, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { PriorsPanel } from "@/components/studies/priors-panel";
import { ToolButton } from "@/components/viewer/viewer-toolbar";
import { IconPanel } from "@/components/viewer/icons";
import type { Measurement } from "@/lib/core/measurement-types";
import type { PixelSpacing } from "@/lib/studies/measurements";
import type { PriorView } from "@/lib/workspace/study-view";
import { DiagnosticViewer, type ViewerHandle } from "@/components/viewer/diagnostic-viewer";
import { useAnatomy } from "@/components/viewer/use-anatomy";
import { TriageBadge } from "@/components/triage/triage-badge";
import type { WorkspaceData } from "@/lib/workspace/load-workspace";
import type { OwnDraft } from "@/lib/reviews/input";
import { ReviewPanel } from "./review-panel";

export function WorkspaceLayout({
  data,
  imageUrl,
  pixelsUrl,
  renderingNote,
  canReview,
  priors = [],
  frontal = true,
  pixelSpacing = null,
  draft = null,
}: {
  /** The reader's own review draft, saved while they typed. */
  draft?: OwnDraft | null;
  /** The patient's earlier studies, newest first. */
  priors?: PriorView[];
  /** False for a lateral: the film is shown, the model's scores are not offered or reviewed. */
  frontal?: boolean;
  pixelSpacing?: PixelSpacing;
  data: WorkspaceData;
  imageUrl: string;
  pixelsUrl?: string;
  renderingNote?: string;
  canReview: boolean;
}) {
  const viewer = useRef<ViewerHandle>(null);
  const sorted = useMemo(() => [...data.findings].sort((a, b) => b.calibrated - a.calibrated), [data.findings]);
  const initialFinding = sorted.find((f) => f.positive)?.label ?? sorted[0]?.label ?? null;
  const [selected, setSelected] = useState<string | null>(initialFinding);
  const [measurements, setMeasurements] = useState<Measurement[]>(() =>
    draft && !data.review.versions[0]?.signedOffAt ? (draft.content.measurements ?? []) : (data.review.versions[0]?.measurements ?? []),
  );
  const [editable, setEditable] = useState(false);
  const onEditableChange = useCallback((e: boolean) => setEditable(e), []);
  const [compared, setCompared] = useState<number | null>(null);
  const [panelOpen, setPanelOpen] = useState(true);
  // Laterals have no segmentation; a film still being analysed gets one after its findings.
  const anatomy = useAnatomy(frontal && data.status === "completed" ? data.analysisId : null);

  // Stepping through the priors from the keyboard (while the viewer has focus): "." the next older,
  // "," the next newer, "0" none.
  const onViewerKey = useCallback(
    (e: KeyboardEvent) => {
      if (priors.length === 0) return false;
      if (e.key === ".") setCompared((c) => (c === null ? 0 : Math.min(c + 1, priors.length - 1)));
      else if (e.key === ",") setCompared((c) => (c === null || c === 0 ? null : c - 1));
      else if (e.key === "0") setCompared(null);
      else return false;
      return true;
    },
    [priors.length],
  );
  const prior = compared === null ? null : priors[compared];

  return (
    <div
      className={`grid gap-2 ${panelOpen ? "lg:grid-cols-[minmax(0,1fr)_minmax(300px,330px)] 2xl:grid-cols-[minmax(0,1fr)_minmax(340px,400px)]" : ""}`}
      data-testid="analysis-workspace"
      data-panel={panelOpen ? "open" : "closed"}
    >
      {data.imageRemovedAt ? (
        <div role="status" data-testid="image-removed" className="flex h-[40dvh] items-center justify-center rounded-lg border border-zinc-800 bg-zinc-950 p-6 text-center text-sm text-zinc-200">
          The image of this analysis was removed on {data.imageRemovedAt} under the site&apos;s retention rules. Its findings, review and report are kept.
        </div>
      ) : (
      <DiagnosticViewer
        ref={viewer}
        imageUrl={imageUrl}
        pixelsUrl={pixelsUrl}
        findings={frontal ? sorted : []}
        cam={frontal ? data.cam : null}
        comparison={prior ? { imageUrl: prior.imageUrl, pixelsUrl: prior.pixelsUrl, title: `Prior ${prior.studyDate ?? prior.receivedOn}` } : null}
        measurements={measurements}
        onMeasurementsChange={editable ? setMeasurements : undefined}
        pixelSpacing={pixelSpacing}
        initialFinding={frontal ? initialFinding : null}
        renderingNote={renderingNote}
        onFindingChange={setSelected}
        onViewerKey={onViewerKey}
        anatomy={anatomy}
        toolbarEnd={
          <ToolButton
            label={panelOpen ? "Hide the side panel" : "Show the side panel"}
            testId="toggle-side-panel"
            active={panelOpen}
            onClick={() => setPanelOpen((o) => !o)}
          >
            <IconPanel />
          </ToolButton>
        }
        // Below the app's sticky 4rem header and the page's one-line title (2.5rem with its gaps): the
        // film takes the rest of the window and keeps its place while the panel scrolls.
        className="h-[62dvh] lg:sticky lg:top-[4.5rem] lg:h-[calc(100dvh-7rem)]"
      />
      )}
      <aside
        hidden={!panelOpen}
        aria-label="Triage and review"
        className="flex min-w-0 flex-col gap-3 rounded-lg border border-zinc-800 bg-zinc-950 p-3 lg:sticky lg:top-[4.5rem] lg:max-h-[calc(100dvh-7rem)] lg:overflow-y-auto"
      >
        <section aria-label="Triage" data-testid="triage-card" className="space-y-1.5">
          <div className="flex items-center justify-between">
            <h2 className="text-sm font-semibold text-white">AI triage</h2>
            <TriageBadge level={data.triage.level} size="md" />
          </div>
          <ul className="space-y-0.5 text-xs text-zinc-300" data-testid="triage-reasons">
            {data.triage.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </section>
        <hr className="border-zinc-800" />
        <section aria-label="Earlier studies" data-testid="priors-card" className="space-y-1.5">
          <h2 className="text-sm font-semibold text-white">Earlier studies</h2>
          <PriorsPanel priors={priors} compared={compared} onCompare={setCompared} current={frontal ? data.findings : []} />
        </section>
        <hr className="border-zinc-800" />
        {!frontal ? (
          <p className="rounded border border-zinc-700 bg-zinc-900 px-2.5 py-2 text-xs text-zinc-300" data-testid="lateral-notice">
            Not assessable by the AI: this is not a frontal (PA/AP) view, so the model&apos;s scores are not shown or used. Read it
            with the frontal film of the study; review and sign off on the frontal image.
          </p>
        ) : data.status === "completed" ? (
          <ReviewPanel
            analysisId={data.analysisId}
            findings={sorted}
            initial={{ ...data.review, report: data.report }}
            draft={draft}
            calledLabels={data.triage.calledLabels}
            selectedFinding={selected}
            onSelectFinding={(label) => {
              setSelected(label);
              viewer.current?.showFinding(label);
            }}
            canReview={canReview}
            measurements={measurements}
            onMeasurementsChange={setMeasurements}
            onEditableChange={onEditableChange}
            pixelSpacing={pixelSpacing}
          />
        ) : (
          <p className="text-xs text-zinc-400">{data.status === "failed" ? "The analysis failed: there is nothing to review." : "Review opens when the analysis has finished."}</p>
        )}
      </aside>
    </div>
  );
}
