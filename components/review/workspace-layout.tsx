"use client";
// Viewer on the left, triage and review on the right (stacked on a portrait tablet). Picking a finding
// in the review list shows its heatmap in the viewer, and picking one in the viewer highlights the row.
import { useMemo, useRef, useState } from "react";
import { DiagnosticViewer, type ViewerHandle } from "@/components/viewer/diagnostic-viewer";
import { TriageBadge } from "@/components/triage/triage-badge";
import type { WorkspaceData } from "@/lib/analyses/load-workspace";
import { ReviewPanel } from "./review-panel";

export function WorkspaceLayout({
  data,
  imageUrl,
  pixelsUrl,
  renderingNote,
  canReview,
}: {
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

  return (
    <div className="grid gap-3 lg:grid-cols-[minmax(0,1fr)_minmax(340px,400px)]" data-testid="analysis-workspace">
      <DiagnosticViewer
        ref={viewer}
        imageUrl={imageUrl}
        pixelsUrl={pixelsUrl}
        findings={sorted}
        cam={data.cam}
        initialFinding={initialFinding}
        renderingNote={renderingNote}
        onFindingChange={setSelected}
        // Below the app's sticky 4rem header, with a small gap; the film keeps its place while the panel scrolls.
        className="h-[62dvh] lg:sticky lg:top-[4.75rem] lg:h-[calc(100dvh-5.5rem)]"
      />
      <aside className="flex min-w-0 flex-col gap-3 rounded-lg border border-zinc-800 bg-zinc-950 p-3 lg:sticky lg:top-[4.75rem] lg:max-h-[calc(100dvh-5.5rem)] lg:overflow-y-auto">
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
        {data.status === "completed" ? (
          <ReviewPanel
            analysisId={data.analysisId}
            findings={sorted}
            initial={{ ...data.review, report: data.report }}
            calledLabels={data.triage.calledLabels}
            selectedFinding={selected}
            onSelectFinding={(label) => {
              setSelected(label);
              viewer.current?.showFinding(label);
            }}
            canReview={canReview}
          />
        ) : (
          <p className="text-xs text-zinc-400">{data.status === "failed" ? "The analysis failed: there is nothing to review." : "Review opens when the analysis has finished."}</p>
        )}
      </aside>
    </div>
  );
}
