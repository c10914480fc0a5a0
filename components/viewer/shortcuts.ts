// Keyboard shortcuts of the viewer, as data: the handler and the help sheet read the same table.
import { WINDOW_PRESETS } from "@/lib/viewer/window-level";

export interface Shortcut {
  keys: string[];
  description: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ["W"], description: "Window/level tool (drag: right = wider, down = brighter level)" },
  { keys: ["P"], description: "Pan tool" },
  { keys: ["Z"], description: "Zoom tool (drag up to zoom in)" },
  { keys: ["M"], description: "Measure a distance (mm from the film's pixel spacing, else pixels, uncalibrated)" },
  { keys: ["T"], description: "Cardiothoracic ratio: draw the cardiac width, then the thoracic width" },
  ...WINDOW_PRESETS.map((p) => ({ keys: [p.key], description: `Window preset: ${p.name}` })),
  { keys: ["I"], description: "Invert grey scale" },
  { keys: ["F"], description: "Fit image to the pane (also: double-click)" },
  { keys: ["A"], description: "Actual size (1:1 pixels)" },
  { keys: ["+", "−"], description: "Zoom in / out" },
  { keys: ["←", "↑", "→", "↓"], description: "Pan" },
  { keys: ["R"], description: "Reset window, zoom and inversion" },
  { keys: ["H"], description: "Heatmap overlay on/off" },
  { keys: ["C"], description: "Contour of the high-activation region on/off" },
  { keys: ["O"], description: "Anatomy outlines and the measured CTR lines on/off (when the film has them)" },
  { keys: ["[", "]"], description: "Overlay opacity down / up" },
  { keys: ["S"], description: "Side by side with the plain image" },
  { keys: [",", "."], description: "Compare with the previous / next earlier study of the patient (0: stop comparing)" },
  { keys: ["K", "J"], description: "Previous / next study in the worklist's order" },
  { keys: ["?"], description: "Show or hide this help" },
  { keys: ["Mouse"], description: "Wheel: zoom at cursor · right-drag: zoom · middle-drag: pan" },
  { keys: ["Touch"], description: "One finger: active tool · pinch: zoom and pan" },
];

/** Typing in a form field must never move the image. */
export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}
