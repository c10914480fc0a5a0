// From the anatomy answer to what the pane draws: the outlines of the structures the reader shows, and
// the measured cardiac and thoracic widths as two dashed horizontal lines labelled as measured by
// software (the reader's own CTR lines are solid). Pure.
import type { AnatomyView } from "@/lib/anatomy/view-types";
import { colourOf, MEASURED_CARDIAC, MEASURED_THORACIC } from "./anatomy-style";
import { widthText } from "./anatomy-legend";
import type { PaneLine, PaneOutline } from "./viewer-pane";

export function anatomyOutlines(anatomy: AnatomyView | null, shown: ReadonlySet<string>): PaneOutline[] {
  if (anatomy?.status !== "completed") return [];
  return anatomy.structures.filter((s) => shown.has(s.name) && s.outlines.length > 0).map((s) => ({ loops: s.outlines, colour: colourOf(s.name) }));
}

export function anatomyLines(anatomy: AnatomyView | null): PaneLine[] {
  if (anatomy?.status !== "completed" || !anatomy.lines || anatomy.ctr?.ratio == null) return [];
  const { heart, thorax } = anatomy.lines;
  if (!heart || !thorax) return [];
  const untrained = anatomy.model?.trained === false ? " · UNTRAINED" : "";
  return [
    { a: { x: heart.left, y: heart.row }, b: { x: heart.right, y: heart.row }, label: `Cardiac ${widthText(heart)} (software)`, colour: MEASURED_CARDIAC, dashed: true },
    {
      a: { x: thorax.left, y: thorax.row },
      b: { x: thorax.right, y: thorax.row },
      label: `Thoracic ${widthText(thorax)} · CTR ${anatomy.ctr.ratio.toFixed(2)} measured by software${untrained}`,
      colour: MEASURED_THORACIC,
      dashed: true,
    },
  ];
}
