// Range and quantiles of pixel values, shared by the display rendering, the viewer's high-bit-depth
// stream and the heatmaps. Pure, so it runs on the server and in the browser alike.

/** Percentiles for the robust min-max used when a film carries no window: ignores labels and borders. */
export const ROBUST_LOW = 0.005;
export const ROBUST_HIGH = 0.995;

/** [smallest, largest] of the values ([Infinity, -Infinity] when there are none). */
export function valueRange(values: ArrayLike<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

/** Values at the given quantiles of integer data, from a histogram over [min, max]. */
export function integerQuantiles(values: Int32Array | Uint16Array | Uint8Array, qs: number[]): number[] {
  const [min, max] = valueRange(values);
  const range = max - min + 1;
  // Stored values are at most 16 bits wide, so the histogram is at most 65536 bins.
  const hist = new Uint32Array(Math.min(range, 1 << 17));
  const scale = hist.length / range;
  for (let i = 0; i < values.length; i++) hist[Math.floor((values[i] - min) * scale)]++;
  return qs.map((q) => {
    const target = q * values.length;
    let acc = 0;
    for (let b = 0; b < hist.length; b++) {
      acc += hist[b];
      if (acc > target) return min + b / scale;
    }
    return max;
  });
}
