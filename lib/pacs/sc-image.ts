import "server-only";
import sharp from "sharp";
import { colorAt } from "@/lib/viewer/heatmap-math";
import { renderHeatmapOverlay } from "@/lib/reports/heatmap-render";
import { UNTRAINED_BANNER } from "./result-content";

// The pixels of a Secondary Capture: the film with one finding's heatmap (the reports' rendering),
// a legend strip under it (colour scale, finding, calibrated score, site threshold), and the untrained
// banner burnt in when the model is the demo one. Burnt in on purpose: a viewer that cannot show SR
// shows these pixels, and nothing else of the result reaches the reader.

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

function colourBar(width: number, height: number): Buffer {
  const out = Buffer.alloc(width * height * 3);
  for (let x = 0; x < width; x++) {
    const [r, g, b] = colorAt(x / (width - 1));
    for (let y = 0; y < height; y++) out.set([r, g, b], (y * width + x) * 3);
  }
  return out;
}

export interface ScCaption {
  label: string;
  calibrated: number;
  threshold: number;
  trained: boolean;
}

export async function renderScPixels(
  display: Buffer,
  cam: readonly number[],
  side: { h: number; w: number },
  caption: ScCaption,
): Promise<{ rgb: Buffer; width: number; height: number }> {
  const overlay = await renderHeatmapOverlay(display, cam, side, { maxSide: 1024, format: "png" });
  const film = await sharp(overlay).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const width = film.info.width;
  const strip = 96;
  const height = film.info.height + strip;
  const font = Math.max(12, Math.round(Math.min(width, 1024) / 48));
  const bar = { left: 16, top: film.info.height + 12, width: Math.max(64, Math.round(width * 0.3)), height: 16 };
  const text = (x: number, y: number, s: string, size = font, fill = "white", anchor = "start") =>
    `<text x="${x}" y="${y}" font-family="DejaVu Sans, Liberation Sans, sans-serif" font-size="${size}" fill="${fill}" text-anchor="${anchor}">${escapeXml(s)}</text>`;
  const lines = [
    text(bar.left, bar.top + bar.height + font + 4, "low", font * 0.8),
    text(bar.left + bar.width, bar.top + bar.height + font + 4, "high", font * 0.8, "white", "end"),
    text(bar.left + bar.width + 20, bar.top + font, `${caption.label.replace(/_/g, " ")}: ${caption.calibrated.toFixed(3)}`),
    text(bar.left + bar.width + 20, bar.top + 2 * font + 8, `site threshold ${caption.threshold.toFixed(2)} · AI heatmap, not a diagnosis`, font * 0.8),
  ];
  const banner = caption.trained
    ? ""
    : `<rect x="0" y="0" width="${width}" height="${font * 2.2}" fill="rgb(160,0,0)"/>` + text(width / 2, font * 1.5, UNTRAINED_BANNER, font * 1.1, "white", "middle");
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${banner}${lines.join("")}</svg>`);
  const { data, info } = await sharp({ create: { width, height, channels: 3, background: { r: 0, g: 0, b: 0 } } })
    .composite([
      { input: film.data, raw: { width, height: film.info.height, channels: 3 }, left: 0, top: 0 },
      { input: colourBar(bar.width, bar.height), raw: { width: bar.width, height: bar.height, channels: 3 }, left: bar.left, top: bar.top },
      { input: svg, left: 0, top: 0 },
    ])
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { rgb: data, width: info.width, height: info.height };
}
