"use client";
// A film's grey values through window, level and inversion, as a canvas the panes draw; redrawn on change.
import { useEffect, useState } from "react";
import { applyLut, buildLut, type WindowLevel } from "@/lib/viewer/window-level";
import type { PixelSource } from "./use-pixel-source";

export function useWindowedCanvas(image: PixelSource | null, wl: WindowLevel, inverted: boolean): { canvas: HTMLCanvasElement | null; revision: number } {
  const [windowed, setWindowed] = useState<{ canvas: HTMLCanvasElement; revision: number; source: PixelSource } | null>(null);
  const existing = windowed?.source === image ? windowed.canvas : null;
  // By value: callers may compute the window afresh each render (the prior's corresponding window).
  const { center, width } = wl;
  useEffect(() => {
    if (!image) return;
    const frame = requestAnimationFrame(() => {
      const canvas = existing ?? document.createElement("canvas");
      if (canvas.width !== image.width || canvas.height !== image.height) {
        canvas.width = image.width;
        canvas.height = image.height;
      }
      const ctx = canvas.getContext("2d");
      if (!ctx) return;
      const out = ctx.createImageData(image.width, image.height);
      applyLut(image.values, buildLut({ center, width }, inverted, image.count, image.toUnits), out.data);
      ctx.putImageData(out, 0, 0);
      setWindowed((w) => ({ canvas, revision: (w?.revision ?? 0) + 1, source: image }));
    });
    return () => cancelAnimationFrame(frame);
  }, [image, center, width, inverted, existing]);
  return { canvas: windowed?.source === image ? windowed.canvas : null, revision: windowed?.revision ?? 0 };
}
