"use client";
// The diagnostic viewer: the film with window/level, zoom and pan, inversion, and the model's heatmap or
// contour for any finding, alone or side by side with the plain film. Works with mouse, keyboard and touch.
import { useCallback, useEffect, useImperativeHandle, useMemo, useReducer, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type ReactNode, type Ref } from "react";
import type { Measurement, Point } from "@/lib/core/measurement-types";
import { cardiothoracicRatio, formatLength, segmentLength, type PixelSpacing } from "@/lib/studies/measurements";
import { actualSizeTransform, pan, zoomAt, type Size } from "@/lib/viewer/transform";
import { correspondingWindow, FULL_RANGE, presetWindow, WINDOW_PRESETS, type WindowLevel } from "@/lib/viewer/window-level";
import type { AnatomyView } from "@/lib/anatomy/view-types";
import { AnatomyLegend } from "./anatomy-legend";
import { anatomyLines, anatomyOutlines } from "./anatomy-overlay";
import { INITIALLY_SHOWN } from "./anatomy-style";
import { HeatmapLegend } from "./heatmap-legend";
import { buildHeatmapLayer, type CamData } from "./heatmap-layer";
import { useReaderPreferences } from "./reader-preferences";
import { ShortcutSheet } from "./shortcut-sheet";
import { isTypingTarget } from "./shortcuts";
import { usePixelSource } from "./use-pixel-source";
import { useWindowedCanvas } from "./use-windowed-canvas";
import { ViewerPane, type PaneLine } from "./viewer-pane";
import { initialViewerState, viewerReducer, hasHeatmap, type ViewerAction } from "./viewer-state";
import { ViewerToolbar, type ViewerFinding } from "./viewer-toolbar";

export type { ViewerFinding } from "./viewer-toolbar";

interface Props {
  /** The 8-bit display rendering (PNG). */
  imageUrl: string;
  /** The stored values of a film with more than 8 bits (uint16 stream); window/level then uses them. */
  pixelsUrl?: string;
  findings: ViewerFinding[];
  cam: CamData | null;
  /** Finding whose heatmap is offered first (e.g. the highest positive one). */
  initialFinding?: string | null;
  /** How the server chose grey levels for the display image, shown in the corner (e.g. "DICOM window"). */
  renderingNote?: string;
  className?: string;
  /** Lets a neighbouring panel show a finding's heatmap (e.g. clicking it in the review list). */
  ref?: Ref<ViewerHandle>;
  /** Told when the reader picks another finding in the viewer itself. */
  onFindingChange?: (label: string | null) => void;
  /** A prior film shown beside this one, with zoom, pan and window/level following this film's. */
  comparison?: { imageUrl: string; pixelsUrl?: string; title: string } | null;
  /** Measurements on this film (image pixels), drawn over it. */
  measurements?: Measurement[];
  /** Given: the measure and CTR tools add to the measurements. */
  onMeasurementsChange?: (next: Measurement[]) => void;
  /** mm per pixel [row, column]; absent: lengths are in pixels, marked uncalibrated. */
  pixelSpacing?: PixelSpacing;
  /** Controls of the page around the viewer, at the toolbar's end (e.g. hiding the side panel). */
  toolbarEnd?: ReactNode;
  /** Keys of the page around the viewer, offered first while the viewer has focus; true when handled. */
  onViewerKey?: (e: ReactKeyboardEvent) => boolean;
  /** The anatomy model's outlines and measured CTR (a frontal film with anatomy on), drawn over the film. */
  anatomy?: AnatomyView | null;
}

const CARDIAC = "rgb(244 114 182)";
const THORACIC = "rgb(74 222 128)";
const DISTANCE = "rgb(250 204 21)";

function measurementLines(measurements: Measurement[], spacing: PixelSpacing, pendingCardiac: [Point, Point] | null): PaneLine[] {
  const lines: PaneLine[] = [];
  for (const m of measurements) {
    if (m.kind === "distance") lines.push({ a: m.line[0], b: m.line[1], label: formatLength(segmentLength(m.line, spacing)), colour: DISTANCE });
    else {
      const ratio = cardiothoracicRatio(m, spacing);
      lines.push({ a: m.cardiac[0], b: m.cardiac[1], label: `C ${formatLength(segmentLength(m.cardiac, spacing))}`, colour: CARDIAC });
      lines.push({
        a: m.thoracic[0],
        b: m.thoracic[1],
        label: `T ${formatLength(segmentLength(m.thoracic, spacing))} · CTR ${ratio === null ? "—" : ratio.toFixed(2)}`,
        colour: THORACIC,
      });
    }
  }
  if (pendingCardiac) lines.push({ a: pendingCardiac[0], b: pendingCardiac[1], label: "C — now draw the thoracic width", colour: CARDIAC });
  return lines;
}

export interface ViewerHandle {
  showFinding: (label: string) => void;
}

function keyAction(e: KeyboardEvent, base: WindowLevel): ViewerAction | "actual" | "zoomIn" | "zoomOut" | [number, number] | null {
  const preset = WINDOW_PRESETS.find((p) => p.key === e.key);
  if (preset) return { type: "wl", wl: preset.id === "default" ? null : presetWindow(preset, base) };
  switch (e.key) {
    case "w": case "W": return { type: "tool", tool: "window" };
    case "p": case "P": return { type: "tool", tool: "pan" };
    case "z": case "Z": return { type: "tool", tool: "zoom" };
    case "m": case "M": return { type: "tool", tool: "measure" };
    case "t": case "T": return { type: "tool", tool: "ctr" };
    case "i": case "I": return { type: "invert" };
    case "f": case "F": return { type: "fit" };
    case "a": case "A": return "actual";
    case "r": case "R": return { type: "reset" };
    case "h": case "H": return { type: "toggleHeatmap" };
    case "c": case "C": return { type: "toggleContour" };
    case "s": case "S": return { type: "sideBySide" };
    case "?": return { type: "help" };
    case "Escape": return { type: "help", open: false };
    case "+": case "=": return "zoomIn";
    case "-": case "_": return "zoomOut";
    case "ArrowLeft": return [40, 0];
    case "ArrowRight": return [-40, 0];
    case "ArrowUp": return [0, 40];
    case "ArrowDown": return [0, -40];
    default: return null;
  }
}

export function DiagnosticViewer({
  imageUrl,
  pixelsUrl,
  findings,
  cam,
  initialFinding = null,
  renderingNote,
  className = "",
  ref,
  onFindingChange,
  comparison = null,
  measurements = [],
  onMeasurementsChange,
  pixelSpacing,
  toolbarEnd,
  onViewerKey,
  anatomy = null,
}: Props) {
  const root = useRef<HTMLElement>(null);
  const [state, rawDispatch] = useReducer(viewerReducer, initialFinding, initialViewerState);
  const dispatch = useCallback(
    (a: ViewerAction) => {
      rawDispatch(a);
      if (a.type === "finding") onFindingChange?.(a.finding);
    },
    [onFindingChange],
  );
  useImperativeHandle(ref, () => ({ showFinding: (label: string) => rawDispatch({ type: "finding", finding: label }) }), []);
  const loaded = usePixelSource(imageUrl, pixelsUrl);
  const image = loaded.status === "ready" ? loaded.source : null;
  const baseWl = image?.base ?? FULL_RANGE;
  const wl = state.wl ?? baseWl;
  const inverted = state.invert !== (image?.invertByDefault ?? false);
  const imageSize = useMemo<Size>(() => ({ width: image?.width ?? 1, height: image?.height ?? 1 }), [image]);

  const windowed = useWindowedCanvas(image, wl, inverted);
  const windowedCanvas = windowed.canvas;

  // The prior film: its own pixels, windowed to correspond to this film's window (window-level.ts).
  const prior = usePixelSource(comparison?.imageUrl ?? "", comparison?.pixelsUrl);
  const priorImage = comparison && prior.status === "ready" ? prior.source : null;
  const priorBase = priorImage?.base ?? FULL_RANGE;
  const priorWl = correspondingWindow(wl, baseWl, priorBase);
  const priorWindowed = useWindowedCanvas(priorImage, priorWl, state.invert !== (priorImage?.invertByDefault ?? false));

  const [pendingCardiac, setPendingCardiac] = useState<[Point, Point] | null>(null);
  const [shownStructures, setShownStructures] = useState<ReadonlySet<string>>(() => new Set(INITIALLY_SHOWN));
  const [outlinesOn, setOutlinesOn] = useState(true);
  const [measuredLinesOn, setMeasuredLinesOn] = useState(true);
  const outlines = useMemo(() => (outlinesOn ? anatomyOutlines(anatomy, shownStructures) : []), [anatomy, shownStructures, outlinesOn]);
  const measuredLines = useMemo(() => (outlinesOn && measuredLinesOn ? anatomyLines(anatomy) : []), [anatomy, outlinesOn, measuredLinesOn]);
  const lines = useMemo(
    () => [...measuredLines, ...measurementLines(measurements, pixelSpacing, pendingCardiac)],
    [measuredLines, measurements, pixelSpacing, pendingCardiac],
  );
  const toggleStructure = useCallback((name: string) => {
    setOutlinesOn(true);
    setShownStructures((prev) => {
      const next = new Set(prev);
      if (!next.delete(name)) next.add(name);
      return next;
    });
  }, []);
  const onLine = useCallback(
    (a: Point, b: Point) => {
      if (!onMeasurementsChange) return;
      if (state.tool === "measure") onMeasurementsChange([...measurements, { kind: "distance", line: [a, b] }]);
      else if (state.tool === "ctr") {
        if (!pendingCardiac) setPendingCardiac([a, b]);
        else {
          onMeasurementsChange([...measurements, { kind: "ctr", cardiac: pendingCardiac, thoracic: [a, b] }]);
          setPendingCardiac(null);
        }
      }
    },
    [onMeasurementsChange, state.tool, measurements, pendingCardiac],
  );

  const selected = findings.find((f) => f.label === state.finding) ?? null;
  const layer = useMemo(() => (cam && selected && typeof document !== "undefined" ? buildHeatmapLayer(cam, selected.index) : null), [cam, selected]);

  const paneSize = useRef<Size>({ width: 0, height: 0 });
  const onSize = useCallback((s: Size) => {
    paneSize.current = s;
  }, []);
  const stateRef = useRef(state);
  const baseRef = useRef(baseWl);
  const [prefs] = useReaderPreferences();
  const prefsRef = useRef(prefs);
  useEffect(() => {
    stateRef.current = state;
    baseRef.current = baseWl;
    prefsRef.current = prefs;
  });
  const actualSize = useCallback(() => {
    const t = stateRef.current.transform;
    if (t) rawDispatch({ type: "transform", transform: actualSizeTransform(t, paneSize.current, window.devicePixelRatio || 1) });
  }, []);

  // The reader's choice to open on the heatmap (the default is the plain film), once, after hydration.
  useEffect(() => {
    if (prefsRef.current.heatmapOnOpen && stateRef.current.finding) rawDispatch({ type: "overlay", overlay: "heatmap" });
  }, []);

  // Keys act only while the viewer has focus: elsewhere letters type and arrows scroll the page.
  const onKeyDown = (e: ReactKeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target) || stateRef.current.help) return;
    if (!prefsRef.current.singleKeyShortcuts && e.key !== "?") return;
    if (onViewerKey?.(e)) {
      e.preventDefault();
      return;
    }
    if ((e.key === "o" || e.key === "O") && anatomy?.status === "completed") {
      e.preventDefault();
      setOutlinesOn((on) => !on);
      return;
    }
    if (e.key === "[" || e.key === "]") {
      e.preventDefault();
      rawDispatch({ type: "opacity", opacity: stateRef.current.opacity + (e.key === "]" ? 0.1 : -0.1) });
      return;
    }
    // (Arrows on the toolbar move between its tools and never reach here: components/ui/roving-focus.ts.)
    const action = keyAction(e.nativeEvent, baseRef.current);
    if (!action) return;
    e.preventDefault();
    const t = stateRef.current.transform;
    const centre = { x: paneSize.current.width / 2, y: paneSize.current.height / 2 };
    if (action === "actual") actualSize();
    else if (action === "zoomIn" || action === "zoomOut") {
      if (t) rawDispatch({ type: "transform", transform: zoomAt(t, centre, action === "zoomIn" ? 1.25 : 0.8) });
    } else if (Array.isArray(action)) {
      if (t) rawDispatch({ type: "transform", transform: pan(t, action[0], action[1]) });
    } else if (action.type === "toggleHeatmap" || action.type === "toggleContour") {
      if (stateRef.current.finding) rawDispatch(action);
    } else rawDispatch(action);
  };

  const [fullScreen, setFullScreen] = useState(false);
  useEffect(() => {
    const onChange = () => setFullScreen(document.fullscreenElement === root.current);
    document.addEventListener("fullscreenchange", onChange);
    return () => document.removeEventListener("fullscreenchange", onChange);
  }, []);
  const toggleFullScreen = useCallback(() => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void root.current?.requestFullscreen?.();
  }, []);

  const zoomPct = state.transform ? Math.round(state.transform.scale * (typeof window === "undefined" ? 1 : window.devicePixelRatio || 1) * 100) : null;
  const hud = (
    <div className="pointer-events-none absolute bottom-2 left-2 space-y-0.5 rounded bg-black/55 px-1.5 py-1 font-mono text-[11px] leading-tight text-zinc-200">
      <div data-testid="wl-readout" data-center={wl.center} data-width={wl.width}>
        W {Math.round(wl.width)} · L {Math.round(wl.center)}
        {state.invert && <span className="ml-1 text-amber-300">INV</span>}
      </div>
      <div data-testid="zoom-readout" data-scale={state.transform?.scale ?? ""}>
        Zoom {zoomPct ?? "—"}%{state.fitted ? " (fit)" : ""}
      </div>
      {image && (
        <div className="text-zinc-400">
          {image.width}×{image.height}
          {` · ${image.description}`}
          {renderingNote ? ` · ${renderingNote}` : ""}
        </div>
      )}
    </div>
  );
  const legend =
    selected && hasHeatmap(state.overlay) ? (
      <div className="pointer-events-none absolute right-2 top-2">
        <HeatmapLegend finding={selected.label} score={selected.calibrated} positive={selected.positive} />
      </div>
    ) : null;

  const paneCommon = {
    imageSize,
    windowed: windowedCanvas,
    revision: windowed.revision,
    transform: state.transform,
    fitted: state.fitted,
    tool: state.tool,
    wl,
    baseWl,
    dispatch,
  };

  return (
    <section
      ref={root}
      tabIndex={0}
      onKeyDown={onKeyDown}
      className={`flex min-h-[420px] flex-col overflow-hidden rounded-lg border border-zinc-800 bg-zinc-950 focus-visible:outline-2 focus-visible:outline-sky-400 ${className}`}
      aria-label="Diagnostic viewer"
      data-testid="diagnostic-viewer"
      data-overlay={state.overlay}
      data-finding={state.finding ?? ""}
      data-side-by-side={state.sideBySide || !!comparison}
      data-tool={state.tool}
      data-anatomy={anatomy?.status ?? "none"}
      data-outlines={outlines.reduce((n, o) => n + o.loops.length, 0)}
      data-measured-lines={measuredLines.length}
    >
      <ViewerToolbar
        state={state}
        dispatch={dispatch}
        findings={findings}
        hasCam={!!cam}
        onActualSize={actualSize}
        wl={wl}
        baseWl={baseWl}
        canMeasure={!!onMeasurementsChange}
        fullScreen={fullScreen}
        onFullScreen={toggleFullScreen}
        end={toolbarEnd}
      />
      <div className="relative flex min-h-0 flex-1 gap-px bg-zinc-800">
        {loaded.status !== "ready" ? (
          <div className="flex flex-1 items-center justify-center bg-black text-sm text-zinc-400" data-testid="viewer-status">
            {loaded.status === "loading" ? "Loading image…" : loaded.message}
          </div>
        ) : (
          <>
            {comparison ? (
              <ViewerPane
                {...paneCommon}
                testId="viewer-pane-prior"
                title={comparison.title}
                windowed={priorWindowed.canvas}
                revision={priorWindowed.revision}
                imageSize={{ width: priorImage?.width ?? 1, height: priorImage?.height ?? 1 }}
                layer={null}
                overlay="off"
                opacity={0}
                primary={false}
                hud={
                  <div className="pointer-events-none absolute bottom-2 left-2 rounded bg-black/55 px-1.5 py-1 font-mono text-[11px] leading-tight text-zinc-200">
                    <div data-testid="prior-wl-readout" data-center={priorWl.center} data-width={priorWl.width}>
                      W {Math.round(priorWl.width)} · L {Math.round(priorWl.center)}
                    </div>
                    <div data-testid="prior-zoom-readout" data-scale={state.transform?.scale ?? ""}>
                      {prior.status === "ready" ? `Zoom ${zoomPct ?? "—"}% · synced` : prior.status === "loading" ? "Loading prior…" : prior.message}
                    </div>
                  </div>
                }
              />
            ) : (
              state.sideBySide && <ViewerPane {...paneCommon} testId="viewer-pane-plain" title="Plain" layer={null} overlay="off" opacity={0} primary={false} hud={null} />
            )}
            <ViewerPane
              {...paneCommon}
              testId="viewer-pane-main"
              title={state.overlay === "off" ? "Image" : "AI overlay"}
              layer={layer}
              overlay={state.overlay}
              opacity={state.opacity}
              primary
              onSize={onSize}
              lines={lines}
              outlines={outlines}
              onLine={onMeasurementsChange ? onLine : undefined}
              hud={
                <>
                  {hud}
                  {legend}
                  {anatomy && (
                    <div className="absolute bottom-2 right-2 max-h-[70%] overflow-y-auto">
                      <AnatomyLegend
                        anatomy={anatomy}
                        shown={outlinesOn ? shownStructures : new Set()}
                        onToggle={toggleStructure}
                        linesShown={outlinesOn && measuredLinesOn}
                        onToggleLines={() => {
                          setOutlinesOn(true);
                          setMeasuredLinesOn((on) => !(outlinesOn && on));
                        }}
                      />
                    </div>
                  )}
                </>
              }
            />
          </>
        )}
        {state.help && <ShortcutSheet onClose={() => dispatch({ type: "help", open: false })} />}
      </div>
    </section>
  );
}
