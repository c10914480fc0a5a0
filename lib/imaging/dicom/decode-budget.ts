// How long one compressed frame may take in its codec: proportional to the frame's pixel count at the
// throughput this machine has recently shown for that codec, not a flat timeout. A damaged frame that
// makes a codec spin (CharLS on missing data ran 40x a good frame) is then stopped after twice what an
// intact frame of its size costs here (at least a second), while a loaded machine, whose good frames
// decode more slowly, raises its own budgets with them. Costs and budgets are processor time of the codec
// thread where it can be measured (codec-pool.ts, thread-cpu.ts), so other work on the machine does not
// use a frame's budget; a frame stopped anyway is decode_timeout, which the worker retries (up to the
// film's attempts) rather than calling the file damaged.

/** The decoders the codec pool runs (lib/imaging/dicom/codec-pool.ts); budgets are kept per decoder. */
export type CodecName = "charls" | "libjpeg" | "jpeg-extended" | "openjpeg" | "openjph" | "jpeg-lossless";

/** A frame may take this many times the recent median cost per pixel of its codec. */
export const BUDGET_FACTOR = 2;
/**
 * No budget is shorter: small and medium frames (most clinical ones decode in well under a second) then
 * survive a sudden burst of load on a shared machine, and a spinning codec still stops within a second.
 */
const FLOOR_MS = 1_000;
/** Frames smaller than this are dominated by fixed costs and would overstate the per-pixel rate. */
const MIN_PIXELS_TO_LEARN = 250_000;
/** Before any frame of a codec was measured: about 1 µs per pixel, far above every codec here. */
const UNMEASURED_NS_PER_PIXEL = 1_000;
const UNMEASURED_FLOOR_MS = 2_000;
const WINDOW = 9;

const recent = new Map<CodecName, number[]>();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  // The lower median: one slow outlier (a first, still unoptimised run) must not widen every budget.
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** The decode budget in milliseconds for a frame of `pixels` pixels. */
export function decodeBudgetMs(codec: CodecName, pixels: number): number {
  const seen = recent.get(codec);
  if (!seen || seen.length === 0) return Math.max(UNMEASURED_FLOOR_MS, (pixels * UNMEASURED_NS_PER_PIXEL * BUDGET_FACTOR) / 1e6);
  return Math.max(FLOOR_MS, (pixels * median(seen) * BUDGET_FACTOR) / 1e6);
}

/** Records a frame that decoded: `ms` of the codec thread's processor time (else wall time) on it. */
export function recordDecode(codec: CodecName, pixels: number, ms: number): void {
  if (pixels < MIN_PIXELS_TO_LEARN || !(ms > 0)) return;
  const seen = recent.get(codec) ?? [];
  seen.push((ms * 1e6) / pixels);
  if (seen.length > WINDOW) seen.shift();
  recent.set(codec, seen);
}
