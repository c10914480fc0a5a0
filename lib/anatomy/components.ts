// The largest 8-connected component of a binary mask (row-major, width x height, non-zero = set).
// Pure; an iterative flood fill with an explicit stack, so a mask the size of the image cannot overflow
// the call stack. On a tie the component met first in raster order wins.

export function largestComponent(mask: ArrayLike<number>, width: number, height: number): Uint8Array {
  const n = width * height;
  if (mask.length !== n) throw new RangeError(`mask holds ${mask.length} values, expected ${width}x${height}`);
  const label = new Int32Array(n);
  const stack = new Int32Array(n);
  let best = 0;
  let bestSize = 0;
  let next = 0;
  for (let start = 0; start < n; start++) {
    if (!mask[start] || label[start]) continue;
    const id = ++next;
    let size = 0;
    let top = 0;
    stack[top++] = start;
    label[start] = id;
    while (top > 0) {
      const p = stack[--top];
      size++;
      const y = (p / width) | 0;
      const x = p - y * width;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width || (dx === 0 && dy === 0)) continue;
          const q = yy * width + xx;
          if (mask[q] && !label[q]) {
            label[q] = id;
            stack[top++] = q;
          }
        }
      }
    }
    if (size > bestSize) {
      bestSize = size;
      best = id;
    }
  }
  const out = new Uint8Array(n);
  if (best) for (let i = 0; i < n; i++) out[i] = label[i] === best ? 1 : 0;
  return out;
}
