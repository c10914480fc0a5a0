"use client";
import { useRef, type Dispatch, type ReactNode } from "react";
import { matchingPreset, presetWindow, WINDOW_PRESETS, type WindowLevel } from "@/lib/viewer/window-level";
import { useRovingFocus } from "@/components/ui/roving-focus";
import { IconColumns, IconContour, IconContrast, IconExpand, IconFit, IconFlame, IconHand, IconHeart, IconInvert, IconKeyboard, IconReset, IconRuler, IconZoom } from "./icons";
import { hasContour, hasHeatmap, type ViewerAction, type ViewerState } from "./viewer-state";

export interface ViewerFinding {
  label: string;
  calibrated: number;
  positive: boolean;
  /** Channel of this finding in the stored CAM (its position in the model output). */
  index: number;
}

export function ToolButton(props: {
  label: string;
  shortcut?: string;
  active?: boolean;
  onClick: () => void;
  children: ReactNode;
  testId: string;
  disabled?: boolean;
}) {
  return (
    <button
      type="button"
      title={props.shortcut ? `${props.label} (${props.shortcut})` : props.label}
      aria-label={props.label}
      aria-pressed={props.active}
      data-testid={props.testId}
      disabled={props.disabled}
      onClick={props.onClick}
      className={`inline-flex h-8 min-w-8 items-center justify-center gap-1.5 rounded px-2 text-xs font-medium transition-colors disabled:opacity-40 ${
        props.active ? "bg-sky-500/20 text-sky-300 ring-1 ring-sky-400/60" : "text-zinc-300 hover:bg-white/10 hover:text-white"
      }`}
    >
      {props.children}
    </button>
  );
}

const Sep = () => <span className="mx-1 hidden h-5 w-px bg-white/10 sm:block" aria-hidden />;

export function ViewerToolbar({
  state,
  dispatch,
  findings,
  hasCam,
  onActualSize,
  wl,
  baseWl,
  canMeasure = false,
  fullScreen = false,
  onFullScreen,
  end,
}: {
  fullScreen?: boolean;
  onFullScreen?: () => void;
  /** Controls of the page around the viewer, after the viewer's own. */
  end?: ReactNode;
  /** The measure and cardiothoracic-ratio tools are offered (the film's review can still be edited). */
  canMeasure?: boolean;
  /** The window in effect and the source's default window, which presets are relative to. */
  wl: WindowLevel;
  baseWl: WindowLevel;
  state: ViewerState;
  dispatch: Dispatch<ViewerAction>;
  findings: ViewerFinding[];
  hasCam: boolean;
  onActualSize: () => void;
}) {
  const heat = hasHeatmap(state.overlay);
  const contour = hasContour(state.overlay);
  // One Tab stop; the arrow keys move between the tools.
  const bar = useRef<HTMLDivElement>(null);
  const roving = useRovingFocus(bar, "horizontal");
  return (
    <div
      ref={bar}
      onKeyDown={roving.onKeyDown}
      onFocus={roving.onFocus}
      className="flex flex-wrap items-center gap-0.5 border-b border-white/10 bg-zinc-900 px-1.5 py-1 text-zinc-200"
      role="toolbar"
      aria-label="Viewer tools"
    >
      <ToolButton label="Window/level" shortcut="W" testId="tool-window" active={state.tool === "window"} onClick={() => dispatch({ type: "tool", tool: "window" })}>
        <IconContrast /> <span className="hidden 2xl:inline">W/L</span>
      </ToolButton>
      <ToolButton label="Pan" shortcut="P" testId="tool-pan" active={state.tool === "pan"} onClick={() => dispatch({ type: "tool", tool: "pan" })}>
        <IconHand />
      </ToolButton>
      <ToolButton label="Zoom" shortcut="Z" testId="tool-zoom" active={state.tool === "zoom"} onClick={() => dispatch({ type: "tool", tool: "zoom" })}>
        <IconZoom />
      </ToolButton>
      {canMeasure && (
        <>
          <ToolButton label="Measure distance" shortcut="M" testId="tool-measure" active={state.tool === "measure"} onClick={() => dispatch({ type: "tool", tool: "measure" })}>
            <IconRuler />
          </ToolButton>
          <ToolButton label="Cardiothoracic ratio: draw the cardiac width, then the thoracic width" shortcut="T" testId="tool-ctr" active={state.tool === "ctr"} onClick={() => dispatch({ type: "tool", tool: "ctr" })}>
            <IconHeart /> <span className="hidden 2xl:inline">CTR</span>
          </ToolButton>
        </>
      )}
      <Sep />
      <select
        aria-label="Window preset"
        data-testid="wl-preset"
        value={matchingPreset(wl, baseWl)?.id ?? ""}
        onChange={(e) => {
          const p = WINDOW_PRESETS.find((x) => x.id === e.target.value);
          if (p) dispatch({ type: "wl", wl: p.id === "default" ? null : presetWindow(p, baseWl) });
        }}
        className="h-8 max-w-32 rounded border border-white/10 bg-zinc-800 px-1.5 text-xs text-zinc-200"
      >
        <option value="" disabled>
          Custom W/L
        </option>
        {WINDOW_PRESETS.map((p) => (
          <option key={p.id} value={p.id}>
            {p.key} · {p.name}
          </option>
        ))}
      </select>
      <ToolButton label="Invert" shortcut="I" testId="tool-invert" active={state.invert} onClick={() => dispatch({ type: "invert" })}>
        <IconInvert />
      </ToolButton>
      <Sep />
      <ToolButton label="Fit to pane" shortcut="F" testId="tool-fit" active={state.fitted} onClick={() => dispatch({ type: "fit" })}>
        <IconFit />
      </ToolButton>
      <ToolButton label="Actual size 1:1" shortcut="A" testId="tool-actual" onClick={onActualSize}>
        <span className="font-mono">1:1</span>
      </ToolButton>
      <ToolButton label="Reset" shortcut="R" testId="tool-reset" onClick={() => dispatch({ type: "reset" })}>
        <IconReset />
      </ToolButton>
      <Sep />
      <select
        aria-label="Heatmap finding"
        data-testid="heatmap-finding"
        value={state.finding ?? ""}
        disabled={!hasCam}
        onChange={(e) => dispatch({ type: "finding", finding: e.target.value || null })}
        className="h-8 max-w-40 rounded border border-white/10 bg-zinc-800 px-1.5 text-xs text-zinc-200"
      >
        <option value="">Heatmap: choose finding</option>
        {findings.map((f) => (
          <option key={f.label} value={f.label}>
            {f.positive ? "● " : "○ "}
            {f.label.replaceAll("_", " ")} {f.calibrated.toFixed(2)}
          </option>
        ))}
      </select>
      <ToolButton label="Heatmap overlay" shortcut="H" testId="toggle-heatmap" active={heat} disabled={!hasCam || !state.finding} onClick={() => dispatch({ type: "toggleHeatmap" })}>
        <IconFlame /> <span className="hidden 2xl:inline">Heatmap</span>
      </ToolButton>
      <ToolButton label="Contour of high activation" shortcut="C" testId="toggle-contour" active={contour} disabled={!hasCam || !state.finding} onClick={() => dispatch({ type: "toggleContour" })}>
        <IconContour /> <span className="hidden 2xl:inline">Contour</span>
      </ToolButton>
      <label className="flex items-center gap-1.5 px-1 text-xs text-zinc-400" title="Overlay opacity ([ and ])">
        <span className="hidden 2xl:inline">Opacity</span>
        <input
          type="range"
          min={0}
          max={100}
          step={5}
          value={Math.round(state.opacity * 100)}
          disabled={!heat}
          data-testid="heatmap-opacity"
          aria-label="Heatmap opacity"
          onChange={(e) => dispatch({ type: "opacity", opacity: Number(e.target.value) / 100 })}
          className="h-1 w-16 accent-sky-400 disabled:opacity-40 sm:w-20"
        />
        <span className="w-8 font-mono text-zinc-300" data-testid="heatmap-opacity-value">
          {Math.round(state.opacity * 100)}%
        </span>
      </label>
      <span className="ml-auto" />
      <ToolButton label="Side by side with the plain image" shortcut="S" testId="toggle-side-by-side" active={state.sideBySide} onClick={() => dispatch({ type: "sideBySide" })}>
        <IconColumns />
      </ToolButton>
      <ToolButton label="Keyboard shortcuts and settings" shortcut="?" testId="toggle-help" active={state.help} onClick={() => dispatch({ type: "help" })}>
        <IconKeyboard />
      </ToolButton>
      {onFullScreen && (
        <ToolButton label={fullScreen ? "Leave full screen" : "Full screen"} testId="tool-fullscreen" active={fullScreen} onClick={onFullScreen}>
          <IconExpand />
        </ToolButton>
      )}
      {end}
    </div>
  );
}
