// Size and dimension limits of an upload, checked from headers before any pixel is decoded.

export const DIMENSION_LIMITS = {
  /** Smaller than this cannot be a diagnostic radiograph (and breaks the 224 px model input). */
  minSide: 64,
  /** Largest side accepted; the largest flat-panel detectors are about 4300 px, scanned film about 5000. */
  maxSide: 16384,
  /**
   * Total pixels accepted. Decoded pixels are held as Float32 plus the stored values, so 16384 x 16384
   * would need about 2 GB for one request; 120 MP (about 1 GB in total) is far above any clinical
   * radiograph and is the decompression-bomb bound for a small file that claims huge dimensions.
   */
  maxPixels: 120_000_000,
} as const;

/** Bytes a DICOM deflate stream may inflate to: the largest accepted frame at 16 bits plus headers. */
export const MAX_INFLATED_BYTES = DIMENSION_LIMITS.maxPixels * 2 + 16 * 1024 * 1024;
