// Window/level on the viewer's 8-bit display rendering (the PNG the server made with the file's own VOI
// window). Values are display grey levels 0..255: the window narrows or shifts the displayed range of
// that rendering, as a PACS does when the original stored values are not sent to the browser.

export interface WindowLevel {
  /** Centre of the window, in display grey levels. */
  center: number;
  /** Width of the window, in display grey levels (1..512: wider than 256 lowers contrast). */
  width: number;
}

export const FULL_RANGE: WindowLevel = { center: 128, width: 256 };
export const MIN_WIDTH = 1;
export const MAX_WIDTH = 512;

export interface WindowPreset extends WindowLevel {
  id: string;
  name: string;
  key: string;
}

/** Presets for a chest film in display units: dark lung fields, mid-grey mediastinum, bright bone. */
export const WINDOW_PRESETS: readonly WindowPreset[] = [
  { id: "default", name: "As rendered", key: "1", ...FULL_RANGE },
  { id: "lung", name: "Lung", key: "2", center: 90, width: 170 },
  { id: "mediastinum", name: "Mediastinum", key: "3", center: 150, width: 150 },
  { id: "bone", name: "Bone", key: "4", center: 190, width: 110 },
  { id: "contrast", name: "High contrast", key: "5", center: 128, width: 96 },
];

export function clampWindow(w: WindowLevel): WindowLevel {
  return {
    center: Math.min(Math.max(w.center, -64), 320),
    width: Math.min(Math.max(w.width, MIN_WIDTH), MAX_WIDTH),
  };
}

/** Dragging: right widens the window (less contrast), down raises the level (darker image), as in PACS. */
export function dragWindow(start: WindowLevel, dx: number, dy: number, sensitivity = 1): WindowLevel {
  return clampWindow({ center: start.center + dy * sensitivity, width: start.width + dx * sensitivity });
}

/** 256-entry lookup table: linear window (DICOM PS3.3 C.11.2.1.2 "LINEAR"), optional inversion. */
export function windowLut(w: WindowLevel, invert: boolean): Uint8Array {
  const lut = new Uint8Array(256);
  const { center: c, width } = clampWindow(w);
  const wm1 = Math.max(width - 1, 1e-6);
  for (let x = 0; x < 256; x++) {
    let y: number;
    if (x <= c - 0.5 - wm1 / 2) y = 0;
    else if (x > c - 0.5 + wm1 / 2) y = 255;
    else y = ((x - (c - 0.5)) / wm1 + 0.5) * 255;
    y = Math.round(Math.min(Math.max(y, 0), 255));
    lut[x] = invert ? 255 - y : y;
  }
  return lut;
}

/** Applies the table to grey values into an RGBA buffer (opaque). */
export function applyLut(grey: Uint8Array | Uint8ClampedArray, lut: Uint8Array, out: Uint8ClampedArray): void {
  for (let i = 0, j = 0; i < grey.length; i++, j += 4) {
    const v = lut[grey[i]];
    out[j] = v;
    out[j + 1] = v;
    out[j + 2] = v;
    out[j + 3] = 255;
  }
}

export function isDefaultWindow(w: WindowLevel): boolean {
  return Math.abs(w.center - FULL_RANGE.center) < 0.5 && Math.abs(w.width - FULL_RANGE.width) < 0.5;
}
