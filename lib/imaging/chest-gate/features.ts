// Image statistics that chest radiographs share, computed on a 128 x 128 thumbnail of the model-scale
// pixels with its grey levels stretched between the 1st and 99th percentiles (so exposure, bit depth
// and window do not matter). Pure and fast (one pass over the image, then 16k-pixel arithmetic).
import type { GreyImage } from "../types";

export const GRID = 128;

export interface ChestFeatures {
  /** Fine detail relative to overall contrast: uniform noise ~1, films ~0.05-0.2. */
  highFrequency: number;
  /** Correlation of the image with its left-right mirror: films are roughly symmetric. */
  symmetry: number;
  /**
   * Mean brightness of the central column (mediastinum, spine) minus the brighter lung field; negative
   * when the film is inverted (the centre darker than the darker lung field), by the same measure.
   */
  mediastinum: number;
  /** Share of pixels with no local change at all: drawings, pages and patterns are piecewise flat. */
  flat: number;
  /** Share of pixels in the most common 1/64 of the grey range: blank and text pages are one value. */
  mode: number;
  /** Strongest repeat of the row or column profile at a lag of 3 or more cells: stripes, checkerboards. */
  periodicity: number;
  /**
   * Share of grid rows (20-80% of the height) whose profile has the centre band brighter than both lung
   * bands, or darker than both, whichever is larger: MONOCHROME1 films read as stored are inverted.
   */
  layoutRows: number;
}

/**
 * The value of rank `k` (0-based) among `values`, as `values.slice().sort()[k]` gives it, in linear
 * time. Reorders `values` (a scratch copy) so that later ranks can be selected from `k + 1` on.
 */
function selectRank(values: Float32Array, k: number, from = 0): number {
  let lo = from;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k];
}

// Scratch tables of the thumbnail and the features, kept between images: each call overwrites them
// whole, and made anew they were a quarter of a megabyte of garbage per upload.
const cellSums = new Float64Array(GRID * GRID);
const rankScratch = new Float32Array(GRID * GRID);
const thumbScratch = new Float32Array(GRID * GRID);
const mirrorScratch = new Float32Array(GRID * GRID);

/** Area-averaged GRID x GRID thumbnail, grey levels mapped from [p1, p99] to [0, 1]. */
export function thumbnail(img: GreyImage): Float32Array {
  return thumbnailInto(img, new Float32Array(GRID * GRID));
}

function thumbnailInto(img: GreyImage, out: Float32Array): Float32Array {
  const { width, height, pixels } = img;
  const sum = cellSums.fill(0);
  // Sample at most ~1000 x 1000 points: the thumbnail is an average, exactness is not needed.
  const step = Math.max(1, Math.floor(Math.sqrt((width * height) / 1e6)));
  // How many sampled columns fall in each cell column (a run, as cells go left to right), and how many
  // samples fall in each cell row and column, are worked out once. The per-pixel loop then adds each
  // cell's run of a row in a local, in the same order as one add at a time into the cell (so the same
  // sums), and four neighbouring cells with runs of one length side by side: each cell's adds are a
  // serial chain, and four chains overlap where one waits on each add in turn.
  const sampledColumns = Math.ceil(width / step);
  const columnsInCell = new Uint32Array(GRID);
  for (let k = 0; k < sampledColumns; k++) columnsInCell[Math.floor((k * step * GRID) / width)]++;
  const rowsInCell = new Uint32Array(GRID);
  for (let y = 0; y < height; y += step) {
    const cellRow = Math.floor((y * GRID) / height);
    rowsInCell[cellRow]++;
    const oy = cellRow * GRID;
    for (let cell = 0, p = y * width; cell < GRID; ) {
      const n = columnsInCell[cell];
      if (cell + 4 <= GRID && columnsInCell[cell + 1] === n && columnsInCell[cell + 2] === n && columnsInCell[cell + 3] === n) {
        const o = oy + cell;
        const gap = n * step;
        let a0 = sum[o];
        let a1 = sum[o + 1];
        let a2 = sum[o + 2];
        let a3 = sum[o + 3];
        for (let j = 0; j < n; j++, p += step) {
          a0 += pixels[p];
          a1 += pixels[p + gap];
          a2 += pixels[p + 2 * gap];
          a3 += pixels[p + 3 * gap];
        }
        sum[o] = a0;
        sum[o + 1] = a1;
        sum[o + 2] = a2;
        sum[o + 3] = a3;
        p += 3 * gap;
        cell += 4;
      } else {
        let acc = sum[oy + cell];
        for (let j = 0; j < n; j++, p += step) acc += pixels[p];
        sum[oy + cell] = acc;
        cell++;
      }
    }
  }
  for (let cy = 0, i = 0; cy < GRID; cy++) {
    for (let cx = 0; cx < GRID; cx++, i++) {
      const count = rowsInCell[cy] * columnsInCell[cx];
      out[i] = count ? sum[i] / count : 0;
    }
  }
  const scratch = rankScratch;
  scratch.set(out);
  const loRank = Math.floor(out.length * 0.01);
  const lo = selectRank(scratch, loRank);
  const hi = selectRank(scratch, Math.floor(out.length * 0.99), loRank + 1);
  const span = hi - lo;
  for (let i = 0; i < out.length; i++) out[i] = span > 0 ? Math.min(1, Math.max(0, (out[i] - lo) / span)) : 0.5;
  return out;
}

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return a.length ? s / a.length : 0;
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

const at = (t: Float32Array, x: number, y: number) => t[y * GRID + x];
const bandMean = (p: Float64Array, from: number, to: number) => mean(p.subarray(Math.round(from * GRID), Math.round(to * GRID)));

/** Largest autocorrelation of a profile at lags of 3..GRID/2 cells, after removing its trend. */
function profilePeriodicity(profile: Float64Array): number {
  const detrended = new Float64Array(profile.length);
  const r = 8;
  for (let i = 0; i < profile.length; i++) {
    let s = 0;
    let n = 0;
    for (let j = Math.max(0, i - r); j <= Math.min(profile.length - 1, i + r); j++, n++) s += profile[j];
    detrended[i] = profile[i] - s / n;
  }
  let best = 0;
  for (let lag = 3; lag <= profile.length / 2; lag++) {
    const c = correlation(detrended.subarray(0, profile.length - lag), detrended.subarray(lag));
    if (c > best) best = c;
  }
  return best;
}

export function chestFeatures(img: GreyImage): ChestFeatures {
  const t = thumbnailInto(img, thumbScratch);
  const m = mean(t);
  let detail = 0;
  let spread = 0;
  let flat = 0;
  const mirror = mirrorScratch;
  for (let y = 0; y < GRID; y++) {
    const row = y * GRID;
    const innerRow = y > 0 && y < GRID - 1;
    for (let x = 0; x < GRID; x++) {
      const i = row + x;
      const v = t[i];
      mirror[i] = t[row + GRID - 1 - x];
      spread += Math.abs(v - m);
      if (innerRow && x > 0 && x < GRID - 1) {
        const right = t[i + 1];
        const below = t[i + GRID];
        const local = (t[i - 1] + right + t[i - GRID] + below) / 4;
        detail += Math.abs(v - local);
        if (Math.abs(right - v) + Math.abs(below - v) < 0.004) flat++;
      }
    }
  }
  const inner = (GRID - 2) * (GRID - 2);
  const hist = new Uint32Array(64);
  for (let i = 0; i < t.length; i++) hist[Math.min(63, Math.floor(t[i] * 64))]++;

  // Column profile over the middle rows (the lung fields); row profile over the middle columns.
  const columns = new Float64Array(GRID);
  const rows = new Float64Array(GRID);
  let brighter = 0;
  let darker = 0;
  const y0 = Math.round(GRID * 0.2);
  const y1 = Math.round(GRID * 0.8);
  for (let y = y0; y < y1; y++) {
    const line = t.subarray(y * GRID, (y + 1) * GRID);
    const c = mean(line.subarray(Math.round(GRID * 0.42), Math.round(GRID * 0.58)));
    const l = mean(line.subarray(Math.round(GRID * 0.15), Math.round(GRID * 0.35)));
    const rr = mean(line.subarray(Math.round(GRID * 0.65), Math.round(GRID * 0.85)));
    if (c > l && c > rr) brighter++;
    if (c < l && c < rr) darker++;
    for (let x = 0; x < GRID; x++) columns[x] += line[x] / (y1 - y0);
  }
  for (let y = 0; y < GRID; y++) {
    let s = 0;
    for (let x = Math.round(GRID * 0.2); x < Math.round(GRID * 0.8); x++) s += at(t, x, y);
    rows[y] = s / (GRID * 0.6);
  }
  const centre = bandMean(columns, 0.42, 0.58);
  const leftLung = bandMean(columns, 0.15, 0.35);
  const rightLung = bandMean(columns, 0.65, 0.85);
  const lighter = centre - Math.max(leftLung, rightLung);
  const darkerBy = Math.min(leftLung, rightLung) - centre;

  return {
    highFrequency: spread > 0 ? detail / inner / (spread / t.length) : 0,
    symmetry: correlation(t, mirror),
    mediastinum: lighter >= darkerBy ? lighter : -darkerBy,
    flat: flat / inner,
    mode: Math.max(...hist) / t.length,
    periodicity: Math.max(profilePeriodicity(columns), profilePeriodicity(rows)),
    layoutRows: Math.max(brighter, darker) / (y1 - y0),
  };
}
