import { centerCrop } from "@/lib/imaging/preprocess";

// From the square model frame (the centre crop of the film resized to size x size) back to the film:
// a model-frame pixel covers crop/size film pixels. Horizontal widths become film pixels and, where the
// film states its pixel spacing, millimetres. Pure.

export interface FilmGeometry {
  width: number;
  height: number;
  /** DICOM PixelSpacing / ImagerPixelSpacing (row spacing, column spacing) in mm, when known. */
  pixelSpacingMm?: readonly [number, number] | null;
}

export interface FilmSpan {
  /** Film row of the line's centre. */
  row: number;
  /** First and last film column covered (pixel edges: left edge of the first, right edge of the last). */
  left: number;
  right: number;
  widthPx: number;
  widthMm: number | null;
}

/** A row extent in the model frame (first..last column inclusive, on `row`) as a span on the film. */
export function extentToFilm(extent: { row: number; left: number; right: number }, film: FilmGeometry, modelSize: number): FilmSpan | null {
  if (extent.row < 0) return null;
  const crop = centerCrop(film.width, film.height);
  const scale = crop.size / modelSize;
  const left = crop.x + extent.left * scale;
  const right = crop.x + (extent.right + 1) * scale;
  const widthPx = right - left;
  const colSpacing = film.pixelSpacingMm?.[1];
  return {
    row: crop.y + (extent.row + 0.5) * scale,
    left,
    right,
    widthPx,
    widthMm: colSpacing && colSpacing > 0 ? widthPx * colSpacing : null,
  };
}
