import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { isStaff } from "@/lib/core/roles";
import { getOwnDraft } from "@/lib/reviews/drafts";
import { loadWorkspace } from "@/lib/workspace/load-workspace";
import type { StudyView } from "@/lib/workspace/study-view";
import type { PixelSpacing } from "@/lib/studies/measurements";
import { WorkspaceLayout } from "./workspace-layout";

/**
 * The radiologist's workspace for the result page: diagnostic viewer, triage with its reasons, review and
 * sign-off, report draft. The page checks that `user` may see the analysis before rendering this.
 */
export async function AnalysisWorkspace({
  analysisId,
  imageUrl,
  pixelsUrl,
  user,
  renderingNote,
  study,
  pixelSpacing,
}: {
  /** The study around the film: priors to compare with, whether this film is frontal. */
  study?: StudyView;
  pixelSpacing?: PixelSpacing;
  analysisId: string;
  /** The display rendering of the film (8-bit PNG, full resolution). */
  imageUrl: string;
  /** Stored values of high-bit films for window/level; defaults to this analysis' pixel route. */
  pixelsUrl?: string;
  user: Principal;
  renderingNote?: string;
}) {
  const data = await loadWorkspace(analysisId);
  if (!data) return null;
  const draft = isStaff(user) ? await getOwnDraft(analysisId, user.userId) : null;
  const pixels = pixelsUrl ?? (data.hiBit ? `/api/analyses/${encodeURIComponent(analysisId)}/pixels` : undefined);
  return (
    <WorkspaceLayout
      data={data}
      imageUrl={imageUrl}
      pixelsUrl={pixels}
      renderingNote={renderingNote}
      canReview={isStaff(user)}
      draft={draft}
      priors={study?.priors}
      frontal={study?.frontal}
      pixelSpacing={pixelSpacing}
    />
  );
}
