// Turns one finding's class activation map (7 x 7 over the model's 224 x 224 centre crop) into colour:
// bilinear upsampling, min-max scaling and a colour map whose low end is transparent, so the film stays
// readable and only the regions the model weighted most are tinted. Pure, so it is unit tested.
import { valueRange } from "@/lib/imaging/value-stats";

/** Bilinear resize of an h x w grid to size x size (half-pixel centres, edges clamped, as torch's default). */
export function upsampleBilinear(grid: readonly number[], h: number, w: number, size: number): Float32Array {
  const out = new Float32Array(size * size);
  const sy = h / size;
  const sx = w / size;
  for (let y = 0; y < size; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), h - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, h - 1);
    const wy = fy - y0;
    for (let x = 0; x < size; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), w - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, w - 1);
      const wx = fx - x0;
      const top = grid[y0 * w + x0] * (1 - wx) + grid[y0 * w + x1] * wx;
      const bottom = grid[y1 * w + x0] * (1 - wx) + grid[y1 * w + x1] * wx;
      out[y * size + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}

/** Scales values to [0, 1] by their own range; a flat map becomes all zeros (nothing stands out). */
export function normalizeRange(values: Float32Array): Float32Array {
  const [min, max] = valueRange(values);
  const span = max - min;
  const out = new Float32Array(values.length);
  if (!(span > 1e-12)) return out;
  for (let i = 0; i < values.length; i++) out[i] = (values[i] - min) / span;
  return out;
}

// Blue (little weight) through yellow to red (most weight), the convention radiologists know from CAMs.
const STOPS: readonly [number, number, number, number][] = [
  [0.0, 0, 0, 140],
  [0.35, 0, 150, 255],
  [0.6, 255, 230, 0],
  [0.8, 255, 120, 0],
  [1.0, 205, 0, 0],
];

export function colorAt(v: number): [number, number, number] {
  const t = Math.min(Math.max(v, 0), 1);
  for (let i = 1; i < STOPS.length; i++) {
    const [p1, r1, g1, b1] = STOPS[i];
    if (t <= p1) {
      const [p0, r0, g0, b0] = STOPS[i - 1];
      const k = (t - p0) / (p1 - p0);
      return [Math.round(r0 + (r1 - r0) * k), Math.round(g0 + (g1 - g0) * k), Math.round(b0 + (b1 - b0) * k)];
    }
  }
  const last = STOPS[STOPS.length - 1];
  return [last[1], last[2], last[3]];
}

/** Opacity: below a quarter of the range nothing is drawn; the strongest region is 65% opaque. */
export function alphaAt(v: number): number {
  const t = Math.min(Math.max((v - 0.25) / 0.75, 0), 1);
  return Math.round(255 * 0.65 * Math.pow(t, 0.8));
}

/** RGBA pixels (size x size x 4) of the coloured heatmap for one 7x7 map. */
export function heatmapRgba(grid: readonly number[], h: number, w: number, size: number): Buffer {
  const values = normalizeRange(upsampleBilinear(grid, h, w, size));
  const out = Buffer.alloc(size * size * 4);
  for (let i = 0; i < values.length; i++) {
    const [r, g, b] = colorAt(values[i]);
    out[i * 4] = r;
    out[i * 4 + 1] = g;
    out[i * 4 + 2] = b;
    out[i * 4 + 3] = alphaAt(values[i]);
  }
  return out;
}
