// Builds the drawable overlay for one finding from the stored class activation map (labels x 7 x 7):
// a small RGBA canvas covering the model's centre crop (the browser scales it smoothly) and the
// outline of the high-activation region as segments in crop-relative units (0..1).
import { isoContour, type Segment } from "@/lib/viewer/contour";
import { CONTOUR_LEVEL, HEATMAP_SIZE, heatmapValues } from "@/lib/viewer/heatmap-outline";
import { alphaAt, colorAt } from "@/lib/viewer/heatmap-math";

export { CONTOUR_LEVEL, HEATMAP_SIZE };

export interface CamData {
  shape: [number, number, number];
  data: number[];
}

export interface HeatmapLayer {
  canvas: HTMLCanvasElement;
  segments: Segment[];
}

export function camChannel(cam: CamData, index: number): number[] | null {
  const [channels, h, w] = cam.shape;
  if (index < 0 || index >= channels) return null;
  return cam.data.slice(index * h * w, (index + 1) * h * w);
}

export function buildHeatmapLayer(cam: CamData, index: number): HeatmapLayer | null {
  const grid = camChannel(cam, index);
  if (!grid) return null;
  const [, h, w] = cam.shape;
  const values = heatmapValues(grid, h, w);
  const canvas = document.createElement("canvas");
  canvas.width = HEATMAP_SIZE;
  canvas.height = HEATMAP_SIZE;
  const ctx = canvas.getContext("2d");
  if (!ctx) return null;
  const img = ctx.createImageData(HEATMAP_SIZE, HEATMAP_SIZE);
  for (let i = 0; i < values.length; i++) {
    const [r, g, b] = colorAt(values[i]);
    img.data[i * 4] = r;
    img.data[i * 4 + 1] = g;
    img.data[i * 4 + 2] = b;
    img.data[i * 4 + 3] = alphaAt(values[i]);
  }
  ctx.putImageData(img, 0, 0);
  // Grid points are pixel centres: map them to 0..1 across the crop.
  const segments = isoContour(values, HEATMAP_SIZE, HEATMAP_SIZE, CONTOUR_LEVEL).map(
    ([x1, y1, x2, y2]) =>
      [(x1 + 0.5) / HEATMAP_SIZE, (y1 + 0.5) / HEATMAP_SIZE, (x2 + 0.5) / HEATMAP_SIZE, (y2 + 0.5) / HEATMAP_SIZE] as Segment,
  );
  return { canvas, segments };
}

/** CSS gradient of the colour scale, for the legend (same stops the heatmap uses). */
export function legendGradient(steps = 11): string {
  const stops = Array.from({ length: steps }, (_, i) => {
    const t = i / (steps - 1);
    const [r, g, b] = colorAt(t);
    return `rgb(${r} ${g} ${b}) ${Math.round(t * 100)}%`;
  });
  return `linear-gradient(to right, ${stops.join(", ")})`;
}
