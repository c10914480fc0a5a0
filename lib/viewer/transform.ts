// The viewer's image-to-screen mapping: screen = image * scale + offset. Pure functions so zoom at a
// point, fit and 1:1 are tested without a browser.

export interface ViewTransform {
  scale: number;
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

export const MIN_SCALE = 0.05;
export const MAX_SCALE = 16;

const clampScale = (s: number) => Math.min(Math.max(s, MIN_SCALE), MAX_SCALE);

/** Whole image visible and centred, with a small margin. */
export function fitTransform(image: Size, view: Size, margin = 8): ViewTransform {
  if (image.width <= 0 || image.height <= 0 || view.width <= 0 || view.height <= 0) return { scale: 1, x: 0, y: 0 };
  const scale = clampScale(Math.min((view.width - 2 * margin) / image.width, (view.height - 2 * margin) / image.height));
  return { scale, x: (view.width - image.width * scale) / 2, y: (view.height - image.height * scale) / 2 };
}

/** One image pixel per screen pixel, keeping the point under the view centre in place. */
export function actualSizeTransform(t: ViewTransform, view: Size, devicePixelRatio = 1): ViewTransform {
  return zoomAt(t, { x: view.width / 2, y: view.height / 2 }, 1 / devicePixelRatio / t.scale);
}

/** Zooms by `factor`, keeping the image point under `at` (screen coordinates) where it is. */
export function zoomAt(t: ViewTransform, at: { x: number; y: number }, factor: number): ViewTransform {
  const scale = clampScale(t.scale * factor);
  const k = scale / t.scale;
  return { scale, x: at.x - (at.x - t.x) * k, y: at.y - (at.y - t.y) * k };
}

export function pan(t: ViewTransform, dx: number, dy: number): ViewTransform {
  return { ...t, x: t.x + dx, y: t.y + dy };
}

export function screenToImage(t: ViewTransform, p: { x: number; y: number }): { x: number; y: number } {
  return { x: (p.x - t.x) / t.scale, y: (p.y - t.y) / t.scale };
}

/** The model's input region inside the image: TorchXRayVision's centre crop to a square on the short side. */
export function modelCrop(image: Size): { left: number; top: number; size: number } {
  const size = Math.min(image.width, image.height);
  return {
    left: Math.floor(image.width / 2) - Math.floor(size / 2),
    top: Math.floor(image.height / 2) - Math.floor(size / 2),
    size,
  };
}
