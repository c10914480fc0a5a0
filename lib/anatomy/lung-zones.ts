// Naming where a finding sits: its heatmap peak, a rectangle in the mask frame, placed in the lung whose
// mask it overlaps most, and in that lung's upper, middle or lower third (by the lung's own first and
// last mask rows). "Left" and "right" are the patient's (the Left Lung mask is on the image's right on a
// PA film). Pure; masks are the largest components, row-major width x height.

export type Side = "left" | "right";
export type Zone = "upper" | "middle" | "lower";

export interface LungZone {
  side: Side;
  zone: Zone;
  /** e.g. "right lower zone" */
  label: string;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const ZONES: Zone[] = ["upper", "middle", "lower"];

function rowSpan(mask: ArrayLike<number>, width: number, height: number): [number, number] | null {
  let top = -1;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (mask[y * width + x]) {
        if (top < 0) top = y;
        bottom = y;
        break;
      }
    }
  }
  return top < 0 ? null : [top, bottom];
}

/** Zone of a row within a lung spanning rows top..bottom: thirds of its height. */
export function zoneOfRow(row: number, top: number, bottom: number): Zone {
  const h = bottom - top + 1;
  const k = Math.floor(((row - top) * 3) / h);
  return ZONES[Math.min(2, Math.max(0, k))];
}

export function lungZone(rect: Rect, lungs: { left: ArrayLike<number>; right: ArrayLike<number> }, width: number, height: number): LungZone | null {
  const x0 = Math.max(0, Math.floor(rect.x));
  const y0 = Math.max(0, Math.floor(rect.y));
  const x1 = Math.min(width, Math.ceil(rect.x + rect.width));
  const y1 = Math.min(height, Math.ceil(rect.y + rect.height));
  let best: { side: Side; count: number; rowSum: number } | null = null;
  for (const side of ["right", "left"] as const) {
    const mask = lungs[side];
    let count = 0;
    let rowSum = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        if (mask[y * width + x]) {
          count++;
          rowSum += y;
        }
      }
    }
    if (count > 0 && (!best || count > best.count)) best = { side, count, rowSum };
  }
  if (!best) return null;
  const span = rowSpan(lungs[best.side], width, height);
  if (!span) return null;
  const zone = zoneOfRow(best.rowSum / best.count, span[0], span[1]);
  return { side: best.side, zone, label: `${best.side} ${zone} zone` };
}
