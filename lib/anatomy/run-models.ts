import "server-only";
import { preprocessForModel, resizeAntialiasBilinear, returnPixelBuffer, type DecodedImage } from "@/lib/imaging";
import type { LoadedZooModel } from "@/lib/inference/zoo-engine";
import { extentToFilm, type FilmSpan } from "./film-frame";
import { anatomyFromLogits, type AnatomyResult } from "./masks";

// The anatomy and view models on one decoded film, each at its own input size through lib/imaging's
// preprocessing (centre crop, antialiased resize), with the measurements the CLI and the app report.

export interface AnatomySummary {
  model: { name: string; version: string; trained: boolean };
  /** In the model's square frame (512 x 512 for the chestx_det PSPNet). */
  ctr: { ratio: number | null; heartWidth: number; thoracicWidth: number; heartRow: number; thoracicRow: number };
  /** The same two lines on the film; mm where the film states its pixel spacing. */
  film: { heart: FilmSpan | null; thorax: FilmSpan | null; pixelSpacing: "pixel" | "imager" | null };
  /** Set pixels per structure, in the model's target order. */
  maskPixels: number[];
  targets: readonly string[];
  /** Each positive finding's heatmap peak named by lung zone ("right lower zone"; null outside the lungs). */
  findingZones?: Record<string, string | null>;
  /** The film's projection from its DICOM View Position; null when the film does not state it (PNG, JPEG). */
  projection?: "AP" | "PA" | null;
  /** Set on an AP film: the ratio is overestimated on AP (the heart is magnified); null otherwise. */
  apNote?: string | null;
}

export const AP_NOTE = "AP film: the cardiothoracic ratio is overestimated on an AP projection (the heart is magnified).";

/** AP or PA from a DICOM View Position ("AP", "PA", "AP ERECT"...); null otherwise. */
export function projectionOf(decoded: Pick<DecodedImage, "metadata">): "AP" | "PA" | null {
  const tag = decoded.metadata.kind === "dicom" ? decoded.metadata.viewPosition?.trim().toUpperCase() : undefined;
  const m = tag ? /^(PA|AP)(?![A-Z])/.exec(tag) : null;
  return m ? (m[1] as "AP" | "PA") : null;
}

export interface ViewSummary {
  model: { name: string; version: string; trained: boolean };
  label: string;
  /** The model's logits in label order (Frontal, Lateral). */
  logits: number[];
}

export async function runAnatomy(model: LoadedZooModel, decoded: DecodedImage): Promise<{ summary: AnatomySummary; result: AnatomyResult }> {
  const size = model.manifest.input.size;
  const logits = await model.run(preprocessForModel(decoded, size));
  const result = anatomyFromLogits(logits, model.manifest.labels, size);
  const { heart, thorax, ratio } = result.ctr;
  const spacing = decoded.metadata.kind === "dicom" ? decoded.metadata.pixelSpacing : undefined;
  const film = { width: decoded.width, height: decoded.height, pixelSpacingMm: spacing ?? null };
  const m = model.manifest;
  const projection = projectionOf(decoded);
  return {
    result,
    summary: {
      model: { name: m.name, version: m.version, trained: m.trained },
      ctr: { ratio, heartWidth: heart.width, thoracicWidth: thorax.width, heartRow: heart.row, thoracicRow: thorax.row },
      film: {
        heart: extentToFilm(heart, film, size),
        thorax: extentToFilm(thorax, film, size),
        pixelSpacing: decoded.metadata.kind === "dicom" ? (decoded.metadata.pixelSpacingSource ?? null) : null,
      },
      maskPixels: result.maskPixels,
      targets: m.labels,
      projection,
      apNote: projection === "AP" ? AP_NOTE : null,
    },
  };
}

export async function runView(model: LoadedZooModel, decoded: DecodedImage): Promise<ViewSummary> {
  return viewOf(model, await model.run(preprocessForModel(decoded, model.manifest.input.size)));
}

/**
 * The view from a square model input already made for another model (the classifier's: the same centre
 * crop), resized to the view model's size when the sizes differ.
 */
export async function runViewOnInput(model: LoadedZooModel, input: Float32Array): Promise<ViewSummary> {
  const size = model.manifest.input.size;
  const side = Math.round(Math.sqrt(input.length));
  if (side * side !== input.length) throw new RangeError(`a square model input was expected, not ${input.length} values`);
  if (side === size) return viewOf(model, await model.run(input));
  const resized = resizeAntialiasBilinear(input, side, { x: 0, y: 0, width: side, height: side }, size, size);
  try {
    return viewOf(model, await model.run(resized));
  } finally {
    returnPixelBuffer(resized);
  }
}

function viewOf(model: LoadedZooModel, out: Float32Array): ViewSummary {
  const logits = Array.from(out);
  const best = logits.indexOf(Math.max(...logits));
  const m = model.manifest;
  return { model: { name: m.name, version: m.version, trained: m.trained }, label: m.labels[best], logits };
}
