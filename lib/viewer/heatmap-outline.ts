// The outline of a finding's high-activation region, one computation for the viewer's contour overlay
// and for the region the DICOM SR draws in a PACS viewer: the class activation map upsampled to the
// model's input size, normalised to its own range, and cut at CONTOUR_LEVEL by marching squares.
import { normalizeRange, upsampleBilinear } from "@/lib/viewer/heatmap-math";
import { isoContour } from "./contour";

/** Resolution of the upsampled map: the model's own input size, so one cell is what the model saw. */
export const HEATMAP_SIZE = 224;
/** The outline encloses the top 40% of this finding's activation range. */
export const CONTOUR_LEVEL = 0.6;

/** The map of one finding at HEATMAP_SIZE², values 0..1. */
export function heatmapValues(grid: readonly number[], h: number, w: number): Float32Array {
  return normalizeRange(upsampleBilinear(grid, h, w, HEATMAP_SIZE));
}

export interface Point2 {
  x: number;
  y: number;
}

/**
 * The closed loops of the outline in crop-relative units (0..1 across the model's centre crop), largest
 * first, each with its first point repeated at the end. The map is bordered with zeros so that a region
 * touching the crop's edge is closed along it rather than left open.
 */
export function outlineLoops(values: ArrayLike<number>, size = HEATMAP_SIZE, level = CONTOUR_LEVEL): Point2[][] {
  const padded = new Float32Array((size + 2) * (size + 2));
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) padded[(y + 1) * (size + 2) + x + 1] = values[y * size + x];
  const segments = isoContour(padded, size + 2, size + 2, level);
  // Neighbouring cells compute a shared crossing from the same two values: endpoints match exactly.
  const key = (x: number, y: number) => `${x},${y}`;
  const from = new Map<string, number[]>();
  segments.forEach(([x1, y1, x2, y2], i) => {
    for (const k of [key(x1, y1), key(x2, y2)]) from.set(k, [...(from.get(k) ?? []), i]);
  });
  const used = new Uint8Array(segments.length);
  const loops: Point2[][] = [];
  for (let start = 0; start < segments.length; start++) {
    if (used[start]) continue;
    used[start] = 1;
    const [sx, sy, ex, ey] = segments[start];
    const loop = [{ x: sx, y: sy }, { x: ex, y: ey }];
    for (;;) {
      const end = loop[loop.length - 1];
      const next = (from.get(key(end.x, end.y)) ?? []).find((i) => !used[i]);
      if (next === undefined) break;
      used[next] = 1;
      const [ax, ay, bx, by] = segments[next];
      loop.push(ax === end.x && ay === end.y ? { x: bx, y: by } : { x: ax, y: ay });
    }
    const first = loop[0];
    const last = loop[loop.length - 1];
    if (loop.length < 4 || first.x !== last.x || first.y !== last.y) continue;
    // Padded grid point p is map cell p - 1, whose centre sits at (p - 1 + 0.5) / size across the crop.
    loops.push(loop.map((p) => ({ x: Math.min(1, Math.max(0, (p.x - 0.5) / size)), y: Math.min(1, Math.max(0, (p.y - 0.5) / size)) })));
  }
  return loops.sort((a, b) => Math.abs(area(b)) - Math.abs(area(a)));
}

/** Shoelace area of a closed loop. */
export function area(loop: readonly Point2[]): number {
  let s = 0;
  for (let i = 0; i + 1 < loop.length; i++) s += loop[i].x * loop[i + 1].y - loop[i + 1].x * loop[i].y;
  return s / 2;
}

/** At most `max` points of a closed loop, evenly picked, still closed. */
export function thinLoop(loop: readonly Point2[], max: number): Point2[] {
  const open = loop.slice(0, -1);
  if (open.length <= max - 1) return [...loop];
  const step = open.length / (max - 1);
  const picked = Array.from({ length: max - 1 }, (_, i) => open[Math.floor(i * step)]);
  return [...picked, picked[0]];
}
