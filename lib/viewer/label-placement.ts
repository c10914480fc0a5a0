// Where a measurement's label goes on the film: beside its line and always inside the visible part of the
// image, so a label such as the CTR of a thoracic width drawn edge to edge is never cut off. Pure, in image
// pixels, so it is tested without a browser.

export interface ViewBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

interface Line {
  a: { x: number; y: number };
  b: { x: number; y: number };
}

/**
 * The label's text origin (left end of its baseline): right of the line, else left of it, else at the
 * view's left edge; vertically at the line's middle, kept a text line's height inside the top and bottom.
 * `width` is the label's measured width and `scale` the screen pixels per image pixel.
 */
export function labelPosition(line: Line, width: number, scale: number, view: ViewBox): { x: number; y: number } {
  const gap = 6 / scale;
  const right = Math.max(line.a.x, line.b.x) + gap;
  const left = Math.min(line.a.x, line.b.x) - gap - width;
  const x = right + width <= view.right ? right : Math.max(view.left + gap, Math.min(left, view.right - gap - width));
  const y = Math.min(Math.max((line.a.y + line.b.y) / 2, view.top + 14 / scale), view.bottom - 4 / scale);
  return { x, y };
}
