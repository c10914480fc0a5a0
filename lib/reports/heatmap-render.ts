import { byScore } from "@/lib/core/finding-score";
import "server-only";
import sharp, { type Sharp } from "sharp";
import { camFor, camSide, type ReportData } from "./report-data";
import { centerCrop } from "@/lib/imaging/preprocess";
import { heatmapRgba } from "@/lib/viewer/heatmap-math";

// Renders the film and its heatmaps as ordinary images, on the server, so the patient page needs no
// script and the PDF can embed them. The map covers the model's centre crop, as the model saw it.

export interface RenderOptions {
  /** Longest side of the output in pixels. */
  maxSide: number;
  format: "jpeg" | "png";
}

const DEFAULTS: RenderOptions = { maxSide: 900, format: "jpeg" };

async function baseRgb(display: Buffer, maxSide: number) {
  return sharp(display)
    .resize({ width: maxSide, height: maxSide, fit: "inside", withoutEnlargement: true })
    .toColourspace("srgb")
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
}

function encode(img: Sharp, format: RenderOptions["format"]) {
  return format === "png" ? img.png({ compressionLevel: 8 }).toBuffer() : img.jpeg({ quality: 85, mozjpeg: true }).toBuffer();
}

/** The film alone, resized for a page. */
export async function renderPlainImage(display: Buffer, options: Partial<RenderOptions> = {}): Promise<Buffer> {
  const o = { ...DEFAULTS, ...options };
  const { data, info } = await baseRgb(display, o.maxSide);
  return encode(sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }), o.format);
}

/** The film with one finding's heatmap over the model's centre crop. */
export async function renderHeatmapOverlay(
  display: Buffer,
  grid: readonly number[],
  side: { h: number; w: number },
  options: Partial<RenderOptions> = {},
): Promise<Buffer> {
  const o = { ...DEFAULTS, ...options };
  const { data, info } = await baseRgb(display, o.maxSide);
  const crop = centerCrop(info.width, info.height);
  const overlay = heatmapRgba(grid, side.h, side.w, crop.size);
  const img = sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).composite([
    { input: overlay, raw: { width: crop.size, height: crop.size, channels: 4 }, left: crop.x, top: crop.y },
  ]);
  return encode(img, o.format);
}

/** Heatmaps of every positive finding that has a map, highest score first (the page's order). */
export async function renderPositiveHeatmaps(
  report: ReportData,
  display: Buffer,
  options: Partial<RenderOptions> = {},
): Promise<{ label: string; image: Buffer }[]> {
  const out: { label: string; image: Buffer }[] = [];
  for (const f of report.findings.filter((x) => x.positive && x.calibrated !== null).sort(byScore)) {
    const grid = camFor(report.cam, f.position);
    if (grid) out.push({ label: f.label, image: await renderHeatmapOverlay(display, grid, camSide(report.cam), options) });
  }
  return out;
}
