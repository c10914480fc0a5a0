"use client";
// The anatomy overlay's legend, in the pane's corner like the heatmap's: the measured cardiothoracic ratio
// (marked as measured by software, with the AP note on AP films), and one checkbox per structure with its
// outline colour. An untrained anatomy model says so first: its outlines are not anatomy.
import type { AnatomyView } from "@/lib/anatomy/view-types";
import { colourOf, MEASURED_CARDIAC, MEASURED_THORACIC } from "./anatomy-style";

export function widthText(span: { widthPx: number; widthMm: number | null } | null): string {
  if (!span) return "—";
  return span.widthMm !== null ? `${span.widthMm.toFixed(0)} mm` : `${Math.round(span.widthPx)} px`;
}

interface Props {
  anatomy: AnatomyView;
  shown: ReadonlySet<string>;
  onToggle: (name: string) => void;
  linesShown: boolean;
  onToggleLines: () => void;
}

export function AnatomyLegend({ anatomy, shown, onToggle, linesShown, onToggleLines }: Props) {
  if (anatomy.status === "queued") {
    return (
      <p role="status" className="rounded-md border border-white/10 bg-zinc-950/85 px-2 py-1 text-[11px] text-zinc-300" data-testid="anatomy-pending">
        Anatomy: segmenting…
      </p>
    );
  }
  if (anatomy.status === "failed") {
    return (
      <p className="max-w-56 rounded-md border border-white/10 bg-zinc-950/85 px-2 py-1 text-[11px] text-zinc-300" data-testid="anatomy-failed">
        Anatomy not available: {anatomy.reason}
      </p>
    );
  }
  if (anatomy.status !== "completed") return null;
  const untrained = anatomy.model?.trained === false;
  const ratio = anatomy.ctr?.ratio ?? null;
  return (
    <details open className="w-60 rounded-md border border-white/10 bg-zinc-950/90 px-3 py-2 text-[11px] text-zinc-300 shadow-lg backdrop-blur" data-testid="anatomy-legend">
      <summary className="cursor-pointer font-medium text-zinc-100 focus-visible:outline-2 focus-visible:outline-sky-400">Anatomy · measured by software</summary>
      {untrained && (
        <p className="mt-1 font-semibold text-amber-300" data-testid="anatomy-untrained">
          UNTRAINED anatomy model: outlines and ratio are meaningless, not for diagnosis.
        </p>
      )}
      <p className="mt-1 font-mono text-zinc-100" data-testid="measured-ctr" data-ratio={ratio ?? ""}>
        CTR {ratio === null ? "not measurable" : ratio.toFixed(2)} <span className="font-sans text-zinc-300">(measured by software)</span>
      </p>
      {ratio !== null && (
        <p className="font-mono text-zinc-300">
          <span style={{ color: MEASURED_CARDIAC }}>cardiac {widthText(anatomy.lines?.heart ?? null)}</span> /{" "}
          <span style={{ color: MEASURED_THORACIC }}>thoracic {widthText(anatomy.lines?.thorax ?? null)}</span>
        </p>
      )}
      {anatomy.apNote && (
        <p className="mt-1 text-amber-200" data-testid="anatomy-ap-note">
          {anatomy.apNote}
        </p>
      )}
      <fieldset className="mt-1.5">
        <legend className="sr-only">Shown on the film</legend>
        <label className="flex items-center gap-1.5 py-px">
          <input type="checkbox" checked={linesShown} onChange={onToggleLines} data-testid="toggle-measured-ctr" className="accent-sky-400" />
          Measured CTR lines
        </label>
        <div className="mt-0.5 grid grid-cols-2 gap-x-2">
          {anatomy.structures.map((s) => (
            <label key={s.name} className="flex min-w-0 items-center gap-1.5 py-px" title={s.name}>
              <input
                type="checkbox"
                checked={shown.has(s.name)}
                onChange={() => onToggle(s.name)}
                disabled={s.outlines.length === 0}
                data-testid="toggle-structure"
                data-structure={s.name}
                className="accent-sky-400"
              />
              <span aria-hidden className="inline-block h-0.5 w-3 shrink-0" style={{ background: colourOf(s.name) }} />
              <span className="truncate">{s.name}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <p className="mt-1 text-zinc-400">O: outlines on/off · the reader&apos;s own CTR tool (T) stays.</p>
    </details>
  );
}
