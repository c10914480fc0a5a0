// The header of the viewer's high-bit-depth pixel stream (GET /api/analyses/{id}/pixels), shared by the
// server that writes it and the browser that reads it. Body: gzip of width*height little-endian uint16
// values (compressed in the payload itself: Next.js drops a route's own Content-Encoding header).
import { z } from "zod";

export const PIXEL_HEADER = "x-viewer-pixels";

export const PixelHeader = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Stored value = transmitted value + offset (so signed and high-based data fit in uint16). */
  offset: z.number().int(),
  /** Modality LUT: units = stored * slope + intercept. */
  slope: z.number(),
  intercept: z.number(),
  /** Largest transmitted value + 1: the size of the viewer's lookup table. */
  count: z.number().int().min(2).max(65536),
  /** MONOCHROME1: high values are dark, so the default display is inverted. */
  monochrome1: z.boolean(),
  /** Default window in modality units: the file's own VOI window, else the robust 0.5–99.5% range. */
  window: z.object({ center: z.number(), width: z.number().positive() }),
  windowSource: z.enum(["file", "robust"]),
  bitsStored: z.number().int().min(9).max(16),
});
export type PixelHeader = z.infer<typeof PixelHeader>;
