import { centerCrop } from "@/lib/imaging/preprocess";

// Outlines of a mask for drawing: closed loops along the pixel edges between set and unset pixels
// (each set pixel's exposed sides, chained), straight runs merged and simplified within half a pixel,
// then mapped from the square model frame back to the film through the same centre crop as film-frame.ts.
// Regions smaller than MIN_AREA pixels are left out (specks a reader cannot see). Pure.

/** A closed loop as flat [x0, y0, x1, y1, ...] coordinates (pixel edges: 0..size). */
export type Loop = number[];

export const MIN_AREA = 24;
const EPSILON = 0.5;

/** Loops around the set pixels of a width x height mask (row-major 0/1), largest first. */
export function traceOutlines(mask: ArrayLike<number>, width: number, height: number, minArea = MIN_AREA): Loop[] {
  const stride = width + 1;
  const next = new Map<number, number[]>();
  const add = (x0: number, y0: number, x1: number, y1: number) => {
    const k = y0 * stride + x0;
    const list = next.get(k);
    const to = y1 * stride + x1;
    if (list) list.push(to);
    else next.set(k, [to]);
  };
  const on = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && mask[y * width + x] !== 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      // Clockwise on screen (y down): the region is on the right of each edge.
      if (!on(x, y - 1)) add(x, y, x + 1, y);
      if (!on(x + 1, y)) add(x + 1, y, x + 1, y + 1);
      if (!on(x, y + 1)) add(x + 1, y + 1, x, y + 1);
      if (!on(x - 1, y)) add(x, y + 1, x, y);
    }
  }
  const loops: { loop: Loop; area: number }[] = [];
  for (const [start, outs] of next) {
    while (outs.length) {
      const pts: number[] = [start];
      let at = outs.pop()!;
      while (at !== start) {
        pts.push(at);
        const o = next.get(at);
        if (!o || o.length === 0) break;
        at = o.pop()!;
      }
      const flat = pts.flatMap((k) => [k % stride, Math.floor(k / stride)]);
      const area = Math.abs(signedArea(flat));
      if (area >= minArea) loops.push({ loop: simplify(flat), area });
    }
  }
  return loops.sort((a, b) => b.area - a.area).map((l) => l.loop);
}

function signedArea(flat: Loop): number {
  let s = 0;
  const n = flat.length / 2;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    s += flat[2 * i] * flat[2 * j + 1] - flat[2 * j] * flat[2 * i + 1];
  }
  return s / 2;
}

/** Douglas-Peucker on the closed loop (split at its first point and the point farthest from it). */
function simplify(flat: Loop): Loop {
  const n = flat.length / 2;
  if (n <= 4) return flat;
  let far = 0;
  let best = -1;
  for (let i = 1; i < n; i++) {
    const d = (flat[2 * i] - flat[0]) ** 2 + (flat[2 * i + 1] - flat[1]) ** 2;
    if (d > best) [best, far] = [d, i];
  }
  const keep = new Uint8Array(n + 1);
  keep[0] = keep[far] = keep[n] = 1;
  const pt = (i: number) => [flat[2 * (i % n)], flat[2 * (i % n) + 1]];
  const stack: [number, number][] = [
    [0, far],
    [far, n],
  ];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const [ax, ay] = pt(a);
    const [bx, by] = pt(b);
    const len = Math.hypot(bx - ax, by - ay) || 1;
    let worst = -1;
    let at = -1;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = pt(i);
      const d = Math.abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / len;
      if (d > worst) [worst, at] = [d, i];
    }
    if (worst > EPSILON) {
      keep[at] = 1;
      stack.push([a, at], [at, b]);
    }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(flat[2 * i], flat[2 * i + 1]);
  return out;
}

/** A model-frame loop on the film (film pixels, rounded to 0.1). */
export function loopToFilm(loop: Loop, film: { width: number; height: number }, modelSize: number): Loop {
  const crop = centerCrop(film.width, film.height);
  const scale = crop.size / modelSize;
  return loop.map((v, i) => Math.round(((i % 2 === 0 ? crop.x : crop.y) + v * scale) * 10) / 10);
}
