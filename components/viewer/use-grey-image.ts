"use client";
// Loads the display PNG once and keeps its grey values: window/level then runs on these numbers, not on
// re-decoded images, so dragging stays smooth on a 3000 x 3000 film.
import { useEffect, useState } from "react";

export interface GreyImage {
  width: number;
  height: number;
  grey: Uint8ClampedArray;
}

export type GreyImageState = { status: "loading" } | { status: "error"; message: string } | { status: "ready"; image: GreyImage };

export function useGreyImage(url: string): GreyImageState {
  // Keyed by URL: a new URL reads as "loading" until its own result arrives, without a reset render.
  const [result, setResult] = useState<{ url: string; state: GreyImageState } | null>(null);
  useEffect(() => {
    let cancelled = false;
    const setState = (state: GreyImageState) => setResult({ url, state });
    const img = new Image();
    img.decoding = "async";
    img.onload = () => {
      if (cancelled) return;
      const canvas = document.createElement("canvas");
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext("2d", { willReadFrequently: true });
      if (!ctx) return setState({ status: "error", message: "This browser cannot draw the image." });
      ctx.drawImage(img, 0, 0);
      const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      const grey = new Uint8ClampedArray(canvas.width * canvas.height);
      for (let i = 0, j = 0; i < grey.length; i++, j += 4) grey[i] = rgba[j];
      setState({ status: "ready", image: { width: canvas.width, height: canvas.height, grey } });
    };
    img.onerror = () => !cancelled && setState({ status: "error", message: "The image could not be loaded." });
    img.src = url;
    return () => {
      cancelled = true;
    };
  }, [url]);
  return result?.url === url ? result.state : { status: "loading" };
}
