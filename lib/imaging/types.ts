// Shapes shared by every part of the imaging pipeline. Kept free of runtime code so the UI, the API
// schemas and the inference side can import them without pulling in sharp or the WASM codecs.

export type ImageFormat = "png" | "jpeg" | "webp" | "tiff" | "dicom";

export type QualityWarningCode =
  | "non_frontal_view"
  | "non_radiograph_modality"
  | "not_a_radiograph"
  | "smaller_than_model_input"
  | "low_contrast"
  | "multi_frame";

export interface QualityWarning {
  code: QualityWarningCode;
  /** Why the check fired, as a code (e.g. not_a_radiograph: "colour", "fine_texture", "no_chest_layout"). */
  reason?: string;
  /** One sentence a clinician understands; never contains patient identifiers. */
  message: string;
}

/** See lib/imaging/dicom/metadata.ts for which identifiers are kept, and why. */
export interface DicomMetadata {
  kind: "dicom";
  modality?: string;
  viewPosition?: string;
  bodyPart?: string;
  patientSex?: string;
  /** DICOM age string as written, e.g. "045Y". */
  patientAge?: string;
  /** YYYY-MM-DD when the DICOM date is valid. */
  studyDate?: string;
  studyInstanceUid?: string;
  seriesInstanceUid?: string;
  sopInstanceUid?: string;
  accessionNumber?: string;
  manufacturer?: string;
  /**
   * Millimetres per pixel [row spacing, column spacing]: Pixel Spacing (0028,0030) when present (calibrated
   * to the patient), else Imager Pixel Spacing (0018,1164) (at the detector). Absent: measurements are
   * in pixels and marked uncalibrated.
   */
  pixelSpacing?: [number, number];
  pixelSpacingSource?: "pixel" | "imager";
  transferSyntax: string;
  transferSyntaxName: string;
  photometric: string;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: 0 | 1;
  samplesPerPixel: number;
  frames: number;
  /** Always false: only MONOCHROME1/2 are accepted. Present so callers can treat metadata uniformly. */
  colour: false;
}

export interface RasterMetadata {
  kind: "raster";
  bitDepth: 8 | 16;
  /** Channels in the file (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA). */
  channels: number;
  hasAlpha: boolean;
  /** True when the colour channels differ anywhere: the file is a colour picture, not a radiograph. */
  colour: boolean;
  /** EXIF orientation found in the file (already applied to the pixels). */
  exifOrientation?: number;
}

export type ImageMetadata = DicomMetadata | RasterMetadata;

export interface VoiWindow {
  center: number;
  width: number;
  explanation?: string;
}

export interface VoiLut {
  firstMapped: number;
  bitsPerEntry: number;
  data: Uint16Array;
}

/** What renderDisplayImages needs; the model input (pixels) is deliberately not reused for display. */
export type DisplaySource =
  | {
      kind: "dicom";
      /** Stored values of the first frame, masked to BitsStored and sign-extended. */
      stored: Int32Array;
      rescaleSlope: number;
      rescaleIntercept: number;
      windows: VoiWindow[];
      voiLutFunction: "LINEAR" | "LINEAR_EXACT" | "SIGMOID";
      voiLut?: VoiLut;
      /** MONOCHROME1 means high values are dark; the renderer inverts so bone is white. */
      monochrome1: boolean;
    }
  | {
      kind: "raster";
      /** The first channel, the same one the model sees. */
      grey: Uint8Array | Uint16Array;
      maxval: 255 | 65535;
    };

export interface DecodedImage {
  format: ImageFormat;
  width: number;
  height: number;
  /** Single channel, row-major, TorchXRayVision load_image scale [-1024, 1024]. */
  pixels: Float32Array;
  metadata: ImageMetadata;
  warnings: QualityWarning[];
  display: DisplaySource;
}

/** The part of a decoded image the model preprocessing needs. */
export interface GreyImage {
  width: number;
  height: number;
  pixels: Float32Array;
}
