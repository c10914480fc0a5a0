// Size and dimension limits of an upload, checked from headers before any pixel is decoded.

export const DIMENSION_LIMITS = {
  /** Smaller than this cannot be a diagnostic radiograph (and breaks the 224 px model input). */
  minSide: 64,
  /** Largest side accepted; the largest flat-panel detectors are about 4300 px, scanned film about 5000. */
  maxSide: 16384,
  /**
   * Total pixels accepted. Decoding holds several bytes per pixel (decoded samples, Float32 model
   * scale, stored values): a 233 KB 16-bit PNG claiming 10950 x 10950 (120 MP) took 1.8 GB. 40 MP
   * (e.g. 6300 x 6300) is far above any clinical radiograph (flat panels about 4300 px a side, scanned
   * film about 5000 x 6000) and is the decompression-bomb bound for a small file claiming a huge image.
   */
  maxPixels: 40_000_000,
} as const;

/**
 * Peak bytes per pixel while decoding, by path, measured from what each decoder allocates: raster
 * (sharp's raw output at its depth and channels, the Float32 model scale, the grey copy), DICOM (codec
 * output and its copy, Int32 stored values, the MONOCHROME1 copy, Float32), rendering (8-bit grey and
 * the PNG encoder's buffers). Rounded up: the budget must never undercount.
 */
export function decodeBytesPerPixel(kind: "raster" | "dicom" | "render", bytesPerSample = 2, channels = 1): number {
  if (kind === "render") return 3;
  if (kind === "raster") return Math.ceil((channels * bytesPerSample + 4 + bytesPerSample) * 1.25);
  return Math.ceil((2 * bytesPerSample + 4 + 4 + 4) * 1.25);
}

/** Bytes a DICOM deflate stream may inflate to: the largest accepted frame at 16 bits plus headers. */
export const MAX_INFLATED_BYTES = DIMENSION_LIMITS.maxPixels * 2 + 16 * 1024 * 1024;
