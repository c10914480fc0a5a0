import { area, heatmapValues, outlineLoops, thinLoop } from "@/lib/viewer/heatmap-outline";
import { modelCrop } from "@/lib/viewer/transform";
import type { Code } from "./codes";
import type { SourceContext } from "./dicom-file";
import { UNITS, type ImagePoint } from "./sr-geometry";

// A positive finding's place on the film for the SR: the largest loop of its heatmap outline (the
// viewer's contour overlay), from the model's centre crop into the analysed image's pixels, with its area.

/** Enough points for the outline's shape, few enough for a viewer to handle it as one annotation. */
const MAX_POINTS = 96;

export function findingRegion(
  cam: readonly number[],
  side: { h: number; w: number },
  source: Pick<SourceContext, "rows" | "columns">,
  spacing: readonly [number, number] | null,
): { points: ImagePoint[]; area: number; unit: Code } | null {
  if (!source.rows || !source.columns || side.h * side.w !== cam.length || cam.length === 0) return null;
  const [loop] = outlineLoops(heatmapValues(cam, side.h, side.w));
  if (!loop) return null;
  const crop = modelCrop({ width: source.columns, height: source.rows });
  const points = thinLoop(loop, MAX_POINTS).map((p) => ({ x: crop.left + p.x * crop.size, y: crop.top + p.y * crop.size }));
  const pixels = Math.abs(area(points));
  return spacing ? { points, area: pixels * spacing[0] * spacing[1], unit: UNITS.mm2 } : { points, area: pixels, unit: UNITS.pixels2 };
}
