// Window/level for the viewer. Pixel values are integers 0..count-1 (an 8-bit display rendering, or
// stored DICOM values shifted to start at 0); a window is given in the source's own units (display grey
// levels, or modality values such as the detector's raw units), so the readout means what a PACS shows.

export interface WindowLevel {
  /** Centre of the window, in source units. */
  center: number;
  /** Width of the window, in source units. */
  width: number;
}

/** The 8-bit display rendering as it was made: identity window. */
export const FULL_RANGE: WindowLevel = { center: 128, width: 256 };

export interface WindowPreset {
  id: string;
  name: string;
  key: string;
  /** Centre and width as fractions of the source's default window (0 = its bottom, 1 = its top). */
  center: number;
  width: number;
}

/**
 * Presets for a chest film, relative to the default window (the file's own VOI window, or the
 * rendering's full range): dark lung fields, mid-grey mediastinum, bright bone, more contrast.
 */
export const WINDOW_PRESETS: readonly WindowPreset[] = [
  { id: "default", name: "As acquired", key: "1", center: 0.5, width: 1 },
  { id: "lung", name: "Lung", key: "2", center: 0.35, width: 0.66 },
  { id: "mediastinum", name: "Mediastinum", key: "3", center: 0.6, width: 0.6 },
  { id: "bone", name: "Bone", key: "4", center: 0.75, width: 0.45 },
  { id: "contrast", name: "High contrast", key: "5", center: 0.5, width: 0.38 },
];

export function presetWindow(p: WindowPreset, base: WindowLevel): WindowLevel {
  const bottom = base.center - base.width / 2;
  return { center: bottom + p.center * base.width, width: p.width * base.width };
}

export function matchingPreset(w: WindowLevel, base: WindowLevel): WindowPreset | undefined {
  const tol = Math.max(base.width / 512, 1e-6);
  return WINDOW_PRESETS.find((p) => {
    const pw = presetWindow(p, base);
    return Math.abs(pw.center - w.center) < tol && Math.abs(pw.width - w.width) < tol;
  });
}

/** Keeps a window sensible: at least one unit wide, at most four times the default, centre near it. */
export function clampWindow(w: WindowLevel, base: WindowLevel = FULL_RANGE): WindowLevel {
  const lo = base.center - 2 * base.width;
  const hi = base.center + 2 * base.width;
  return {
    center: Math.min(Math.max(w.center, lo), hi),
    width: Math.min(Math.max(w.width, 1), 4 * base.width),
  };
}

/**
 * Dragging, as in PACS: right widens the window (less contrast), down raises the level (darker image).
 * One screen pixel moves the window by 1/256 of the default width, whatever the bit depth.
 */
export function dragWindow(start: WindowLevel, dx: number, dy: number, base: WindowLevel = FULL_RANGE): WindowLevel {
  const k = base.width / 256;
  return clampWindow({ center: start.center + dy * k, width: start.width + dx * k }, base);
}

/**
 * Lookup table from pixel value (0..count-1) to grey 0..255: modality mapping `toUnits`, then the
 * DICOM "LINEAR" window function (PS3.3 C.11.2.1.2), then optional inversion.
 */
export function buildLut(w: WindowLevel, invert: boolean, count: number, toUnits: (v: number) => number = (v) => v): Uint8Array {
  const lut = new Uint8Array(count);
  const c = w.center;
  const wm1 = Math.max(w.width - 1, 1e-6);
  const lo = c - 0.5 - wm1 / 2;
  const hi = c - 0.5 + wm1 / 2;
  for (let v = 0; v < count; v++) {
    const x = toUnits(v);
    let y: number;
    if (x <= lo) y = 0;
    else if (x > hi) y = 255;
    else y = Math.round(((x - (c - 0.5)) / wm1 + 0.5) * 255);
    y = y < 0 ? 0 : y > 255 ? 255 : y;
    lut[v] = invert ? 255 - y : y;
  }
  return lut;
}

/** The 8-bit table (kept for the display rendering and its tests). */
export function windowLut(w: WindowLevel, invert: boolean): Uint8Array {
  return buildLut(w, invert, 256);
}

/** Applies the table to pixel values into an opaque RGBA buffer. */
export function applyLut(values: ArrayLike<number>, lut: Uint8Array, out: Uint8ClampedArray): void {
  for (let i = 0, j = 0; i < values.length; i++, j += 4) {
    const v = lut[values[i]];
    out[j] = v;
    out[j + 1] = v;
    out[j + 2] = v;
    out[j + 3] = 255;
  }
}

/**
 * The same window on another film: as far from that film's default, relative to its width, as `w` is
 * from `base`. Comparing a current and a prior film keeps them windowed alike even when their stored
 * units differ (an 8-bit rendering beside a 12-bit film); with equal defaults it is `w` itself.
 */
export function correspondingWindow(w: WindowLevel, base: WindowLevel, other: WindowLevel): WindowLevel {
  const k = other.width / base.width;
  return { center: other.center + (w.center - base.center) * k, width: w.width * k };
}
