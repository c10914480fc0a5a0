import Link from "next/link";
import type { StudySummary } from "@/lib/studies/queries";

/** The study's images as small thumbnails (one line with the page title); the one on the page is outlined, a lateral is marked not assessable. */
export function StudyStrip({ study, currentId }: { study: StudySummary; currentId: string }) {
  return (
    <nav aria-label="Images of this study" className="flex gap-1.5 overflow-x-auto" data-testid="study-strip" data-study-id={study.id}>
      {study.images.map((img) => {
        const current = img.analysisId === currentId;
        return (
          <Link
            key={img.analysisId}
            href={`/analyses/${img.analysisId}`}
            aria-current={current ? "page" : undefined}
            data-testid="study-thumb"
            data-id={img.analysisId}
            data-frontal={img.frontal}
            className={`group relative block h-10 w-10 shrink-0 overflow-hidden rounded border bg-black ${current ? "border-sky-400 ring-2 ring-sky-400/50" : "border-zinc-700 hover:border-zinc-400"}`}
          >
            {/* eslint-disable-next-line @next/next/no-img-element -- a same-origin rendering behind the session, not a static asset */}
            <img src={`/api/analyses/${img.analysisId}/thumbnail`} alt={`${img.viewPosition ?? "Image"} thumbnail`} className="h-10 w-10 object-contain" />
            <span className="absolute left-0 top-0 rounded-br bg-black/75 px-0.5 font-mono text-[9px] text-zinc-100">{img.viewPosition ?? "—"}</span>
            {!img.frontal && (
              <span className="absolute inset-x-0 bottom-0 bg-zinc-700/90 text-center text-[8px] font-semibold uppercase text-white" data-testid="thumb-not-assessable" title="Not assessable by the AI">
                N/A<span className="sr-only"> (not assessable)</span>
              </span>
            )}
          </Link>
        );
      })}
    </nav>
  );
}
