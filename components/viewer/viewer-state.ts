// Everything the viewer's controls change, in one reducer, so toolbar buttons, keyboard shortcuts and
// pointer gestures all go through the same transitions.
import type { WindowLevel } from "@/lib/viewer/window-level";
import type { ViewTransform } from "@/lib/viewer/transform";

/** measure: a distance; ctr: a cardiac then a thoracic width (cardiothoracic ratio). */
export type Tool = "window" | "pan" | "zoom" | "measure" | "ctr";
export type OverlayMode = "off" | "heatmap" | "contour" | "both";

export interface ViewerState {
  tool: Tool;
  /** null: the source's default window (the file's own, or the rendering as made). */
  wl: WindowLevel | null;
  invert: boolean;
  /** null until the pane has a size: then the image is fitted. */
  transform: ViewTransform | null;
  /** While true the image refits when the pane resizes (rotating a tablet, opening the side panel). */
  fitted: boolean;
  finding: string | null;
  overlay: OverlayMode;
  /** 0..1, multiplies the heatmap's own alpha. */
  opacity: number;
  sideBySide: boolean;
  help: boolean;
}

export type ViewerAction =
  | { type: "tool"; tool: Tool }
  | { type: "wl"; wl: WindowLevel | null }
  | { type: "invert" }
  | { type: "transform"; transform: ViewTransform; fitted?: boolean }
  | { type: "fit" }
  | { type: "reset" }
  | { type: "finding"; finding: string | null }
  | { type: "overlay"; overlay: OverlayMode }
  | { type: "toggleHeatmap" }
  | { type: "toggleContour" }
  | { type: "opacity"; opacity: number }
  | { type: "sideBySide" }
  | { type: "help"; open?: boolean };

export function initialViewerState(finding: string | null): ViewerState {
  return {
    tool: "window",
    wl: null,
    invert: false,
    transform: null,
    fitted: true,
    finding,
    // The plain film first, as a PACS opens it (an unbiased read); H shows the top finding's heatmap. A
    // reader may choose to open on the heatmap (reader-preferences.ts).
    overlay: "off",
    opacity: 0.6,
    sideBySide: false,
    help: false,
  };
}

const hasHeatmap = (o: OverlayMode) => o === "heatmap" || o === "both";
const hasContour = (o: OverlayMode) => o === "contour" || o === "both";
const combine = (heat: boolean, contour: boolean): OverlayMode =>
  heat && contour ? "both" : heat ? "heatmap" : contour ? "contour" : "off";

export function viewerReducer(s: ViewerState, a: ViewerAction): ViewerState {
  switch (a.type) {
    case "tool":
      return { ...s, tool: a.tool };
    case "wl":
      return { ...s, wl: a.wl };
    case "invert":
      return { ...s, invert: !s.invert };
    case "transform":
      return { ...s, transform: a.transform, fitted: a.fitted ?? false };
    case "fit":
      return { ...s, transform: null, fitted: true };
    case "reset":
      return { ...s, wl: null, invert: false, transform: null, fitted: true };
    case "finding":
      // Choosing a finding is asking to see where it is: show its heatmap if nothing is shown yet.
      return { ...s, finding: a.finding, overlay: a.finding && s.overlay === "off" ? "heatmap" : s.overlay };
    case "overlay":
      return { ...s, overlay: a.overlay };
    case "toggleHeatmap":
      return { ...s, overlay: combine(!hasHeatmap(s.overlay), hasContour(s.overlay)) };
    case "toggleContour":
      return { ...s, overlay: combine(hasHeatmap(s.overlay), !hasContour(s.overlay)) };
    case "opacity":
      return { ...s, opacity: Math.min(Math.max(a.opacity, 0), 1) };
    case "sideBySide":
      return { ...s, sideBySide: !s.sideBySide, transform: null, fitted: true };
    case "help":
      return { ...s, help: a.open ?? !s.help };
  }
}

export { hasContour, hasHeatmap };
