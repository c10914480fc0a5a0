"use client";
// Where the viewer's pixel values come from. Films stored with more than 8 bits are read as their
// stored values (uint16 stream), so window/level works in the detector's own units as on a PACS;
// everything else uses the 8-bit display rendering (PNG) read back from a canvas.
import { useEffect, useState } from "react";
import { PIXEL_HEADER, PixelHeader } from "@/lib/viewer/pixel-header";
import { FULL_RANGE, type WindowLevel } from "@/lib/viewer/window-level";

export interface PixelSource {
  width: number;
  height: number;
  values: Uint8ClampedArray | Uint16Array;
  /** Number of distinct pixel values (lookup table size). */
  count: number;
  /** Pixel value to the units windows are expressed in. */
  toUnits: (v: number) => number;
  /** The window the film is shown with first, and what presets are relative to. */
  base: WindowLevel;
  invertByDefault: boolean;
  /** For the corner caption. */
  description: string;
}

export type PixelSourceState = { status: "loading" } | { status: "error"; message: string } | { status: "ready"; source: PixelSource };

async function fromPng(url: string): Promise<PixelSource> {
  const img = new Image();
  img.decoding = "async";
  img.src = url;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  if (!ctx) throw new Error("This browser cannot draw the image.");
  ctx.drawImage(img, 0, 0);
  const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const values = new Uint8ClampedArray(canvas.width * canvas.height);
  for (let i = 0, j = 0; i < values.length; i++, j += 4) values[i] = rgba[j];
  return { width: canvas.width, height: canvas.height, values, count: 256, toUnits: (v) => v, base: FULL_RANGE, invertByDefault: false, description: "8-bit rendering" };
}

async function fromStream(url: string): Promise<PixelSource | null> {
  const res = await fetch(url);
  // 204: this film has no more than 8 bits worth showing; the PNG is the whole story.
  if (res.status === 204 || !res.ok) return null;
  const header = PixelHeader.parse(JSON.parse(res.headers.get(PIXEL_HEADER) ?? "null"));
  // The body is gzip inside the payload (Next.js drops a handler's own Content-Encoding header).
  const buf = res.body ? await new Response(res.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer() : new ArrayBuffer(0);
  if (buf.byteLength !== header.width * header.height * 2) throw new Error("Pixel data is incomplete.");
  const values = new Uint16Array(buf);
  const { offset, slope, intercept } = header;
  return {
    width: header.width,
    height: header.height,
    values,
    count: header.count,
    toUnits: (v) => (v + offset) * slope + intercept,
    base: header.window,
    invertByDefault: header.monochrome1,
    description: `${header.bitsStored}-bit ${header.windowSource === "file" ? "· file window" : ""}`.trim(),
  };
}

export function usePixelSource(imageUrl: string, pixelsUrl?: string): PixelSourceState {
  const key = `${imageUrl}|${pixelsUrl ?? ""}`;
  // Keyed by URL: a new URL reads as "loading" until its own result arrives, without a reset render.
  const [result, setResult] = useState<{ key: string; state: PixelSourceState } | null>(null);
  useEffect(() => {
    // No URL (no film to compare with): nothing to load.
    if (!imageUrl) return;
    let cancelled = false;
    const done = (state: PixelSourceState) => !cancelled && setResult({ key, state });
    (async () => {
      try {
        const hi = pixelsUrl ? await fromStream(pixelsUrl).catch(() => null) : null;
        done({ status: "ready", source: hi ?? (await fromPng(imageUrl)) });
      } catch {
        done({ status: "error", message: "The image could not be loaded." });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [key, imageUrl, pixelsUrl]);
  return result?.key === key ? result.state : { status: "loading" };
}
