// The stored values of a film with more than 8 bits, for window/level in the browser. The display PNG is
// 8-bit; a 12-bit chest film windowed from it loses the fine grey steps a radiologist narrows in on.
import type { DecodedImage } from "@/lib/imaging/types";
import { integerQuantiles, ROBUST_HIGH, ROBUST_LOW, valueRange } from "@/lib/imaging/value-stats";
import type { PixelHeader } from "./pixel-header";

export interface HiBitPixels {
  header: PixelHeader;
  /** width*height values, stored value minus header.offset. */
  values: Uint16Array;
}

/**
 * null when the 8-bit rendering is all there is to show: 8-bit files, and DICOM files whose VOI LUT
 * (a vendor's non-linear curve) the linear window of the viewer would not reproduce.
 */
export function hiBitPixels(decoded: Pick<DecodedImage, "width" | "height" | "display">): HiBitPixels | null {
  const d = decoded.display;
  let stored: Int32Array | Uint16Array | Uint8Array;
  let slope = 1;
  let intercept = 0;
  let monochrome1 = false;
  let fileWindow: { center: number; width: number } | undefined;
  if (d.kind === "dicom") {
    if (d.voiLut) return null;
    stored = d.stored;
    slope = d.rescaleSlope;
    intercept = d.rescaleIntercept;
    monochrome1 = d.monochrome1;
    fileWindow = d.windows.find((w) => w.width > 1);
  } else {
    if (d.maxval !== 65535) return null;
    stored = d.grey;
  }
  const [min, max] = valueRange(stored);
  const count = max - min + 1;
  // At most 8 bits of actual range, or more than 16: nothing gained, or does not fit the stream.
  if (count <= 256 || count > 65536) return null;
  const values = new Uint16Array(decoded.width * decoded.height);
  for (let i = 0; i < values.length; i++) values[i] = stored[i] - min;

  let window = fileWindow;
  let windowSource: PixelHeader["windowSource"] = "file";
  if (!window) {
    const [lo, hi] = integerQuantiles(stored, [ROBUST_LOW, ROBUST_HIGH]).map((v) => v * slope + intercept);
    const [a, b] = lo <= hi ? [lo, hi] : [hi, lo];
    window = { center: (a + b) / 2, width: Math.max(b - a, 1) };
    windowSource = "robust";
  }
  return {
    header: {
      width: decoded.width,
      height: decoded.height,
      offset: min,
      slope,
      intercept,
      count,
      monochrome1,
      window: { center: window.center, width: window.width },
      windowSource,
      bitsStored: Math.min(16, Math.max(9, Math.ceil(Math.log2(count)))),
    },
    values,
  };
}
