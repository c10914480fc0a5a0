import type { SourceContext } from "./dicom-file";
import type { ResultContent } from "./result-content";
import { resultUids } from "./uids";

// Where the results sit in the study as a viewer lists it: per analysis, one heatmap series and one SR
// series per report version (the unverified one, then each signed-off version), so versions never
// share a series and two analyses of one study (say PA and lateral) are told apart by their
// descriptions. Series numbers group by analysis: the n-th analysis of the study owns 9n00..9n99
// (heatmaps 9n00, unverified SR 9n01, verified v1 9n02, ...), so they sort together after the
// acquisition's own series.

export interface SeriesPlace {
  seriesInstanceUid: string;
  seriesNumber: number;
  seriesDescription: string;
}

const BASE = 9000;
const PER_ANALYSIS = 100;

function seriesBase(content: ResultContent): number {
  return BASE + PER_ANALYSIS * Math.max(1, content.studyOrdinal);
}

/** " · PA" when the file names its view, and the untrained warning where it applies. */
function qualifiers(content: ResultContent, source: SourceContext): { view: string; untrained: string } {
  return { view: source.viewPosition ? ` · ${source.viewPosition}` : "", untrained: content.model.trained ? "" : " · UNTRAINED MODEL" };
}

export function srSeries(content: ResultContent, source: SourceContext): SeriesPlace {
  const version = content.verification?.reviewVersion ?? null;
  const { view, untrained } = qualifiers(content, source);
  const state = version === null ? "UNVERIFIED" : `VERIFIED v${version}`;
  return {
    seriesInstanceUid: resultUids.srSeries(content.analysisId, version),
    // Versions beyond 98 share the last number: the UID still tells them apart.
    seriesNumber: seriesBase(content) + 1 + Math.min(version ?? 0, PER_ANALYSIS - 2),
    seriesDescription: `AI findings${view} · ${state}${untrained}`.slice(0, 64),
  };
}

export function scSeries(content: ResultContent, source: SourceContext): SeriesPlace {
  const { view, untrained } = qualifiers(content, source);
  return {
    seriesInstanceUid: resultUids.scSeries(content.analysisId),
    seriesNumber: seriesBase(content),
    seriesDescription: `AI heatmaps${view}${untrained}`.slice(0, 64),
  };
}
