import "server-only";
import { AppError } from "@/lib/core/errors";
import { loadDisplayImage } from "@/lib/reports/display-image";
import type { LoadedResult } from "./load-result";
import { writeSecondaryCapture } from "./sc-document";
import { renderScPixels } from "./sc-image";
import { writeStructuredReport, type WrittenInstance } from "./sr-document";

// The DICOM instances of a result: the SR, and a Secondary Capture per positive finding with a map.

export function structuredReport(result: LoadedResult): WrittenInstance {
  return writeStructuredReport(result.content, result.source);
}

/** Positive findings that have a heatmap, in the model's output order; `only` picks one by label. */
export async function secondaryCaptures(result: LoadedResult, only?: string): Promise<WrittenInstance[]> {
  // Numbered among all captures first, so one fetched alone keeps the number it has in the series.
  const picked = result.content.findings
    .flatMap((f) => (f.positive && f.cam && f.calibrated !== null ? [{ ...f, calibrated: f.calibrated }] : []))
    .map((f, i) => ({ ...f, instance: i + 1 }))
    .filter((f) => only === undefined || f.label === only);
  if (picked.length === 0) return [];
  const display = await loadDisplayImage(result.imageSha256);
  if (!display) throw new AppError("not_found", "The image of this analysis is not available.");
  const out: WrittenInstance[] = [];
  for (const f of picked) {
    const pixels = await renderScPixels(display, f.cam!, result.content.camSide, {
      label: f.label,
      calibrated: f.calibrated,
      threshold: f.threshold,
      trained: result.content.model.trained,
    });
    out.push(writeSecondaryCapture(result.content, result.source, { label: f.label, calibrated: f.calibrated, threshold: f.threshold, instance: f.instance }, pixels));
  }
  return out;
}
