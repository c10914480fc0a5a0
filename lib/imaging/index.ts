// Public API of the imaging pipeline: upload validation, decoding (PNG/JPEG/WebP/TIFF/DICOM) to the
// TorchXRayVision input scale, model preprocessing, quality gates and display rendering.
// Client components should import types from "@/lib/imaging/types" and "@/lib/imaging/errors" only.
import "server-only";

export type {
  DecodedImage,
  DicomMetadata,
  DisplaySource,
  GreyImage,
  ImageFormat,
  ImageMetadata,
  QualityWarning,
  QualityWarningCode,
  RasterMetadata,
} from "./types";
export {
  ImagingError,
  IMAGING_ERROR_CODES,
  IMAGING_ERROR_STATUS,
  isImagingError,
  type ImagingErrorCode,
  type ImagingHttpStatus,
} from "./errors";
export { decodeImage, type DecodeOptions } from "./decode";
export { validateUpload, type UploadInfo, type ValidateOptions } from "./validate";
export { preprocessForModel, centerCrop, resizeAntialiasBilinear, MODEL_INPUT_SIZE } from "./preprocess";
export { qualityGates, enforceQualityPolicy, type QualityGateMode } from "./quality-gates";
export { renderDisplayImages, displayGrey, type DisplayImages, type DisplayImageSource, THUMBNAIL_SIZE } from "./display";
export { returnPixelBuffer } from "./pixel-pool";
export { closeCodecPool, CodecUnavailableError } from "./dicom/codec-pool";
export { sniffFormat } from "./sniff";
export { DIMENSION_LIMITS } from "./limits";
