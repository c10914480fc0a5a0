"use client";
// One image pane: draws the windowed film and (optionally) the overlay through the shared view
// transform, and turns pointer gestures into viewer actions. Left drag uses the active tool; right drag
// zooms and middle drag pans (PACS habits); the wheel zooms at the cursor; two fingers pinch and pan.
import { useCallback, useEffect, useRef, useState, type Dispatch } from "react";
import type { Point } from "@/lib/core/measurement-types";
import { fitTransform, modelCrop, pan, screenToImage, zoomAt, type Size, type ViewTransform } from "@/lib/viewer/transform";
import { dragWindow, type WindowLevel } from "@/lib/viewer/window-level";
import { labelPosition } from "@/lib/viewer/label-placement";
import type { HeatmapLayer } from "./heatmap-layer";
import { hasContour, hasHeatmap, type OverlayMode, type Tool, type ViewerAction } from "./viewer-state";

interface Props {
  testId: string;
  title: string;
  imageSize: Size;
  windowed: HTMLCanvasElement | null;
  /** Bumped whenever the windowed canvas' pixels change (the element itself stays the same). */
  revision: number;
  layer: HeatmapLayer | null;
  overlay: OverlayMode;
  opacity: number;
  transform: ViewTransform | null;
  fitted: boolean;
  tool: Tool;
  wl: WindowLevel;
  /** The source's default window: drag sensitivity scales with it. */
  baseWl: WindowLevel;
  /** Only one pane reports its size for fitting (both are the same size side by side). */
  primary: boolean;
  dispatch: Dispatch<ViewerAction>;
  onSize?: (size: Size) => void;
  hud: React.ReactNode;
  /** Lines drawn over the film (measurements), in image pixels. */
  lines?: PaneLine[];
  /** Called with a line drawn with the measure or CTR tool (image pixels). */
  onLine?: (a: Point, b: Point) => void;
  /** Anatomy outlines (closed polygons, flat x,y in image pixels), drawn under the lines. */
  outlines?: PaneOutline[];
}

export interface PaneOutline {
  loops: number[][];
  colour: string;
}

/** Two CSS pixels wide at any zoom, with a dark halo so a light outline reads on a light film. */
function drawOutlines(ctx: CanvasRenderingContext2D, outlines: PaneOutline[], scale: number) {
  ctx.lineWidth = 1.5 / scale;
  ctx.lineJoin = "round";
  ctx.shadowColor = "rgba(0,0,0,0.9)";
  ctx.shadowBlur = 2;
  for (const o of outlines) {
    ctx.beginPath();
    for (const loop of o.loops) {
      ctx.moveTo(loop[0], loop[1]);
      for (let i = 2; i < loop.length; i += 2) ctx.lineTo(loop[i], loop[i + 1]);
      ctx.closePath();
    }
    ctx.strokeStyle = o.colour;
    ctx.stroke();
  }
  ctx.shadowBlur = 0;
}

export interface PaneLine {
  a: Point;
  b: Point;
  label: string;
  colour: string;
  /** Dashed: measured by software (the reader's own lines are solid). */
  dashed?: boolean;
}

/** `view`: the part of the image in the pane (image pixels); labels are kept inside it. */
function drawLines(ctx: CanvasRenderingContext2D, lines: PaneLine[], scale: number, view: { left: number; top: number; right: number; bottom: number }) {
  for (const l of lines) {
    ctx.beginPath();
    ctx.moveTo(l.a.x, l.a.y);
    ctx.lineTo(l.b.x, l.b.y);
    ctx.lineWidth = 2 / scale;
    ctx.strokeStyle = l.colour;
    ctx.setLineDash(l.dashed ? [6 / scale, 4 / scale] : []);
    ctx.stroke();
    ctx.setLineDash([]);
    for (const end of [l.a, l.b]) {
      ctx.beginPath();
      ctx.arc(end.x, end.y, 3 / scale, 0, 2 * Math.PI);
      ctx.fillStyle = l.colour;
      ctx.fill();
    }
    ctx.font = `${12 / scale}px ui-monospace, monospace`;
    ctx.fillStyle = "#000";
    const at = labelPosition(l, ctx.measureText(l.label).width, scale, view);
    ctx.fillText(l.label, at.x + 1 / scale, at.y + 1 / scale);
    ctx.fillStyle = l.colour;
    ctx.fillText(l.label, at.x, at.y);
  }
}

interface Gesture {
  button: number;
  startX: number;
  startY: number;
  startWl: WindowLevel;
  startT: ViewTransform;
}

export function ViewerPane(p: Props) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  const gesture = useRef<Gesture | null>(null);
  const [drawing, setDrawing] = useState<{ a: Point; b: Point } | null>(null);
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const pinch = useRef<{ dist: number; mid: { x: number; y: number } } | null>(null);
  const latest = useRef(p);
  useEffect(() => {
    latest.current = p;
  });

  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => {
      const { width, height } = entry.contentRect;
      setSize({ width: Math.round(width), height: Math.round(height) });
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Fit when asked (transform null) or when the pane resizes while the image is fitted.
  const { primary, transform, fitted, imageSize, dispatch, onSize } = p;
  useEffect(() => {
    if (primary) onSize?.(size);
  }, [primary, size, onSize]);
  useEffect(() => {
    if (!primary || size.width === 0 || size.height === 0) return;
    if (transform === null || fitted) {
      const fit = fitTransform(imageSize, size);
      if (!transform || Math.abs(fit.scale - transform.scale) > 1e-9 || fit.x !== transform.x || fit.y !== transform.y) {
        dispatch({ type: "transform", transform: fit, fitted: true });
      }
    }
  }, [primary, size, transform, fitted, imageSize, dispatch]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || size.width === 0) return;
    const frame = requestAnimationFrame(() => {
      const dpr = window.devicePixelRatio || 1;
      if (canvas.width !== Math.round(size.width * dpr)) canvas.width = Math.round(size.width * dpr);
      if (canvas.height !== Math.round(size.height * dpr)) canvas.height = Math.round(size.height * dpr);
      const ctx = canvas.getContext("2d");
      if (!ctx) return;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = "#000";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      const t = p.transform;
      if (!t || !p.windowed) return;
      ctx.setTransform(dpr * t.scale, 0, 0, dpr * t.scale, dpr * t.x, dpr * t.y);
      // Magnified films show their pixels, as a PACS does; reduced ones are smoothed against aliasing.
      ctx.imageSmoothingEnabled = t.scale * dpr < 2;
      ctx.imageSmoothingQuality = "high";
      ctx.drawImage(p.windowed, 0, 0);
      const crop = modelCrop(p.imageSize);
      if (p.layer && hasHeatmap(p.overlay) && p.opacity > 0) {
        ctx.imageSmoothingEnabled = true;
        ctx.globalAlpha = p.opacity;
        ctx.drawImage(p.layer.canvas, crop.left, crop.top, crop.size, crop.size);
        ctx.globalAlpha = 1;
      }
      if (p.layer && hasContour(p.overlay)) {
        ctx.beginPath();
        for (const [x1, y1, x2, y2] of p.layer.segments) {
          ctx.moveTo(crop.left + x1 * crop.size, crop.top + y1 * crop.size);
          ctx.lineTo(crop.left + x2 * crop.size, crop.top + y2 * crop.size);
        }
        ctx.lineWidth = 2 / t.scale; // two CSS pixels at any zoom
        ctx.strokeStyle = "rgb(255 214 0)";
        ctx.shadowColor = "rgba(0,0,0,0.9)";
        ctx.shadowBlur = 2;
        ctx.stroke();
        ctx.shadowBlur = 0;
      }
      if (p.outlines?.length) drawOutlines(ctx, p.outlines, t.scale);
      const lines = [...(p.lines ?? []), ...(drawing ? [{ ...drawing, label: "", colour: "rgb(56 189 248)" }] : [])];
      if (lines.length) {
        const view = { left: -t.x / t.scale, top: -t.y / t.scale, right: (size.width - t.x) / t.scale, bottom: (size.height - t.y) / t.scale };
        drawLines(ctx, lines, t.scale, view);
      }
    });
    return () => cancelAnimationFrame(frame);
  }, [size, p.transform, p.windowed, p.revision, p.layer, p.overlay, p.opacity, p.imageSize, p.lines, p.outlines, drawing]);

  const local = useCallback((e: { clientX: number; clientY: number }) => {
    const r = wrapRef.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }, []);

  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      const t = latest.current.transform;
      if (!t) return;
      e.preventDefault();
      latest.current.dispatch({ type: "transform", transform: zoomAt(t, local(e), Math.exp(-e.deltaY * 0.0015)) });
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, [local]);

  const onPointerDown = (e: React.PointerEvent) => {
    if (!p.transform) return;
    (e.target as Element).setPointerCapture(e.pointerId);
    pointers.current.set(e.pointerId, local(e));
    if (pointers.current.size === 2) {
      const [a, b] = [...pointers.current.values()];
      pinch.current = { dist: Math.hypot(a.x - b.x, a.y - b.y), mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } };
      gesture.current = null;
      return;
    }
    const at = local(e);
    gesture.current = { button: e.button, startX: at.x, startY: at.y, startWl: p.wl, startT: p.transform };
    if (e.button === 0 && (p.tool === "measure" || p.tool === "ctr") && p.onLine) {
      const point = screenToImage(p.transform, at);
      setDrawing({ a: point, b: point });
    }
  };

  const onPointerMove = (e: React.PointerEvent) => {
    if (!pointers.current.has(e.pointerId)) return;
    pointers.current.set(e.pointerId, local(e));
    const t = p.transform;
    if (!t) return;
    if (pinch.current && pointers.current.size >= 2) {
      const [a, b] = [...pointers.current.values()];
      const dist = Math.hypot(a.x - b.x, a.y - b.y);
      const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      const zoomed = zoomAt(t, mid, dist / Math.max(pinch.current.dist, 1));
      p.dispatch({ type: "transform", transform: pan(zoomed, mid.x - pinch.current.mid.x, mid.y - pinch.current.mid.y) });
      pinch.current = { dist, mid };
      return;
    }
    const g = gesture.current;
    if (!g) return;
    const at = local(e);
    const dx = at.x - g.startX;
    const dy = at.y - g.startY;
    const action = g.button === 1 ? "pan" : g.button === 2 ? "zoom" : p.tool;
    if (action === "measure" || action === "ctr") {
      const b = screenToImage(t, at);
      setDrawing((d) => (d ? { a: d.a, b } : d));
    } else if (action === "window") p.dispatch({ type: "wl", wl: dragWindow(g.startWl, dx, dy, p.baseWl) });
    else if (action === "pan") p.dispatch({ type: "transform", transform: pan(g.startT, dx, dy) });
    else p.dispatch({ type: "transform", transform: zoomAt(g.startT, { x: g.startX, y: g.startY }, Math.exp(-dy / 150)) });
  };

  const onPointerUp = (e: React.PointerEvent) => {
    if (drawing && gesture.current && p.onLine && Math.hypot(drawing.b.x - drawing.a.x, drawing.b.y - drawing.a.y) * (p.transform?.scale ?? 1) >= 4) {
      p.onLine(drawing.a, drawing.b);
    }
    if (drawing) setDrawing(null);
    pointers.current.delete(e.pointerId);
    if (pointers.current.size < 2) pinch.current = null;
    if (pointers.current.size === 0) gesture.current = null;
  };

  const cursor = p.tool === "pan" ? "cursor-grab active:cursor-grabbing" : p.tool === "zoom" ? "cursor-zoom-in" : "cursor-crosshair";
  return (
    <div className="relative min-h-0 min-w-0 flex-1 overflow-hidden bg-black" data-testid={p.testId}>
      <div
        ref={wrapRef}
        className={`absolute inset-0 touch-none select-none ${cursor}`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onDoubleClick={() => p.dispatch({ type: "fit" })}
        onContextMenu={(e) => e.preventDefault()}
      >
        <canvas ref={canvasRef} className="block h-full w-full" data-testid={`${p.testId}-canvas`} aria-label={p.title} role="img" />
      </div>
      <div className="pointer-events-none absolute left-2 top-2 rounded bg-black/55 px-1.5 py-0.5 font-mono text-[11px] uppercase tracking-wide text-zinc-300">
        {p.title}
      </div>
      {p.hud}
    </div>
  );
}
