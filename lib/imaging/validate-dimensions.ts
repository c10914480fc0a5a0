import { ImagingError } from "./errors";
import { DIMENSION_LIMITS } from "./limits";

/** Checks pixel dimensions taken from a header, before the pixel data is decoded. */
export function checkDimensions(width: number, height: number): void {
  const { minSide, maxSide, maxPixels } = DIMENSION_LIMITS;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ImagingError("corrupt", "The image header states an invalid size.");
  }
  if (width < minSide || height < minSide || width > maxSide || height > maxSide) {
    throw new ImagingError(
      "dimensions_out_of_range",
      `The image is ${width} x ${height} pixels; each side must be between ${minSide} and ${maxSide} pixels.`,
    );
  }
  if (width * height > maxPixels) {
    throw new ImagingError(
      "decompression_bomb",
      `The image is ${width} x ${height} pixels (${Math.round((width * height) / 1e6)} megapixels); ` +
        `at most ${maxPixels / 1e6} megapixels are accepted.`,
    );
  }
}
