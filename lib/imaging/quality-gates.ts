// Quality gates: reasons the model's output may not apply to this image. They are warnings on every
// result by default; QUALITY_GATES=refuse turns them into a 422 instead.
import { assessChestRadiograph } from "./chest-gate/gate";
import { ImagingError } from "./errors";
import { MODEL_INPUT_SIZE } from "./preprocess";
import type { DecodedImage, QualityWarning, QualityWarningCode } from "./types";
import { scaleLut } from "./xrv-scale";

export type QualityGateMode = "warn" | "refuse";

/** Codes that describe the image rather than how it was decoded; these are what "refuse" refuses. */
const REFUSABLE: ReadonlySet<QualityWarningCode> = new Set([
  "non_frontal_view",
  "non_radiograph_modality",
  "not_a_radiograph",
  "smaller_than_model_input",
  "low_contrast",
]);

const RADIOGRAPH_MODALITIES = new Set(["CR", "DX"]);

/** The models were trained on frontal (PA/AP) chest films; anything else is out of distribution. */
function isFrontal(viewPosition: string): boolean {
  return /^(PA|AP)(?![A-Z])/.test(viewPosition.trim().toUpperCase());
}

const SPREAD_BINS = 2048;

/** Sample every `step`-th pixel: at most ~250k of them. */
const spreadStep = (pixelCount: number) => Math.max(1, Math.floor(pixelCount / 250_000));

function spreadBin(v: number): number {
  const b = ((v + 1024) * (SPREAD_BINS / 2048)) | 0;
  return b < 0 ? 0 : b >= SPREAD_BINS ? SPREAD_BINS - 1 : b;
}

/** The 1st to 99th percentile range of a histogram of `n` samples, on the 2048-wide scale. */
function spreadOfHistogram(hist: Uint32Array, n: number): number {
  const lo = n * 0.01;
  const hi = n * 0.99;
  let acc = 0;
  let pLo = 0;
  let pHi = SPREAD_BINS - 1;
  let foundLo = false;
  for (let b = 0; b < SPREAD_BINS; b++) {
    acc += hist[b];
    if (!foundLo && acc > lo) {
      pLo = b;
      foundLo = true;
    }
    if (acc >= hi) {
      pHi = b;
      break;
    }
  }
  return ((pHi - pLo + 1) / SPREAD_BINS) * 2048;
}

/**
 * Robust spread of the model input: the 1st to 99th percentile range on the [-1024, 1024] scale,
 * from a histogram of at most ~250k sampled pixels. A 12-bit image stored as 16-bit PNG, or a nearly
 * uniform frame, lands far below the full range and the network sees an almost flat image.
 */
export function robustSpread(pixels: Float32Array): number {
  const hist = new Uint32Array(SPREAD_BINS);
  const step = spreadStep(pixels.length);
  let n = 0;
  for (let i = 0; i < pixels.length; i += step) {
    hist[spreadBin(pixels[i])]++;
    n++;
  }
  return spreadOfHistogram(hist, n);
}

let levelCounts = new Uint32Array(0);

/**
 * robustSpread of a raster's model-scale pixels, which are scaleLut(maxval)[level] of its stored levels:
 * the same samples counted per level, then each level's count put in its value's bin, so the histogram
 * is the same without a floating-point pass over the image.
 */
export function robustSpreadOfLevels(levels: Uint8Array | Uint16Array, pixelCount: number, maxval: number): number {
  if (levelCounts.length < maxval + 1) levelCounts = new Uint32Array(maxval + 1);
  const counts = levelCounts;
  const step = spreadStep(pixelCount);
  let n = 0;
  for (let i = 0; i < pixelCount; i += step) {
    counts[levels[i]]++;
    n++;
  }
  const lut = scaleLut(maxval);
  const hist = new Uint32Array(SPREAD_BINS);
  for (let v = 0; v <= maxval; v++) {
    if (counts[v] === 0) continue;
    hist[spreadBin(lut[v])] += counts[v];
    counts[v] = 0; // the table is kept for the next image, empty
  }
  return spreadOfHistogram(hist, n);
}

/** Images whose central 98% of pixels span less than this (of 2048) are flagged as low contrast. */
export const LOW_CONTRAST_SPREAD = 256;

export function qualityGates(img: DecodedImage): QualityWarning[] {
  const out: QualityWarning[] = [];
  const meta = img.metadata;
  if (meta.kind === "dicom") {
    if (meta.viewPosition && !isFrontal(meta.viewPosition)) {
      out.push({
        code: "non_frontal_view",
        message: `View position is ${meta.viewPosition}, not a frontal (PA/AP) view; the model is trained on frontal chest films.`,
      });
    }
    if (meta.modality && !RADIOGRAPH_MODALITIES.has(meta.modality)) {
      out.push({
        code: "non_radiograph_modality",
        message: `Modality is ${meta.modality}, not a radiograph (CR or DX); results may not apply.`,
      });
    }
  }
  if (meta.kind === "raster" && meta.colour) {
    out.push({
      code: "not_a_radiograph",
      reason: "colour",
      message: "This is a colour image, so it is not a radiograph; results do not apply to it.",
    });
  } else {
    const chest = assessChestRadiograph(img);
    if (!chest.chest) {
      out.push({
        code: "not_a_radiograph",
        reason: chest.reason,
        message: `This does not look like a frontal chest radiograph: ${chest.message}. Results do not apply to it.`,
      });
    }
  }
  if (Math.min(img.width, img.height) < MODEL_INPUT_SIZE) {
    out.push({
      code: "smaller_than_model_input",
      message: `The image is ${img.width} x ${img.height} pixels, smaller than the model input (${MODEL_INPUT_SIZE} x ${MODEL_INPUT_SIZE}); it is upscaled and fine detail is missing.`,
    });
  }
  // A raster's model-scale pixels are its display levels through the scale table (decodeRaster), so
  // the levels are counted instead; DICOM pixels are not its display values (MONOCHROME1, rescale).
  const spread = img.display.kind === "raster" ? robustSpreadOfLevels(img.display.grey, img.pixels.length, img.display.maxval) : robustSpread(img.pixels);
  if (spread < LOW_CONTRAST_SPREAD) {
    out.push({
      code: "low_contrast",
      message: `Very low contrast: most pixels use only ${((spread / 2048) * 100).toFixed(0)}% of the intensity range; the model may not read the image reliably.`,
    });
  }
  return out;
}

/** In "refuse" mode, any image-quality warning becomes a 422 listing every reason. */
export function enforceQualityPolicy(warnings: QualityWarning[], mode: QualityGateMode): void {
  if (mode !== "refuse") return;
  const reasons = warnings.filter((w) => REFUSABLE.has(w.code));
  if (reasons.length > 0) {
    throw new ImagingError(
      "quality_refused",
      `The image was refused by the quality checks: ${reasons.map((w) => w.message).join(" ")}`,
      { details: { warnings: reasons } },
    );
  }
}
