import { largestComponent } from "./components";

// The cardiothoracic ratio measured on the anatomy masks, by the rule the reference states
// (../shared/fixtures/zoo/README.md): take the largest 8-connected component of the heart mask and of
// each lung mask; cardiac width = the widest row extent of the heart component; thoracic width = the
// widest row extent of the union of the two lung components; a row's extent = last - first set column
// + 1; the first such row on ties. ratio = cardiac / thoracic, null when either is empty. Everything in
// the mask's own frame (the 512 x 512 model frame). Pure.

export interface RowExtent {
  /** Pixels from the first to the last set column of that row, inclusive; 0 when the mask is empty. */
  width: number;
  /** -1 when the mask is empty. */
  row: number;
  left: number;
  right: number;
}

export interface CtrMeasurement {
  heart: RowExtent;
  thorax: RowExtent;
  ratio: number | null;
}

export const EMPTY_EXTENT: RowExtent = { width: 0, row: -1, left: -1, right: -1 };

/** The widest row extent of a mask; the first (topmost) row on ties. */
export function widestRow(mask: ArrayLike<number>, width: number, height: number): RowExtent {
  let best = EMPTY_EXTENT;
  for (let y = 0; y < height; y++) {
    let left = -1;
    let right = -1;
    const base = y * width;
    for (let x = 0; x < width; x++) {
      if (mask[base + x]) {
        if (left < 0) left = x;
        right = x;
      }
    }
    if (left >= 0 && right - left + 1 > best.width) best = { width: right - left + 1, row: y, left, right };
  }
  return best;
}

export function measureCtr(masks: { heart: ArrayLike<number>; leftLung: ArrayLike<number>; rightLung: ArrayLike<number> }, width: number, height: number): CtrMeasurement {
  const heart = widestRow(largestComponent(masks.heart, width, height), width, height);
  const left = largestComponent(masks.leftLung, width, height);
  const right = largestComponent(masks.rightLung, width, height);
  for (let i = 0; i < left.length; i++) left[i] |= right[i];
  const thorax = widestRow(left, width, height);
  const ratio = heart.width > 0 && thorax.width > 0 ? heart.width / thorax.width : null;
  return { heart, thorax, ratio };
}
