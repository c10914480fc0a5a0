import type { ImageMetadata, QualityWarning } from "@/lib/imaging/types";

// The view check from the pixels: the view model's verdict on a film, as the same warning the DICOM gate
// gives a lateral ("non_frontal_view"), so everything that already treats a lateral (triage, study
// lists, the result page) treats this one alike. A PNG or JPEG has no view tag: only its pixels can say
// it is a lateral. A DICOM whose tag says frontal while the pixels look lateral is flagged as the
// disagreement it is; one the DICOM gate already flagged is not flagged twice. Pure.

export interface ViewVerdict {
  label: string;
  logits: readonly number[];
  trained: boolean;
}

const FRONTAL_TAG = /^(PA|AP)(?![A-Z])/;

export function viewWarning(view: ViewVerdict, metadata: ImageMetadata, existing: readonly QualityWarning[]): QualityWarning | null {
  if (view.label !== "Lateral") return null;
  if (existing.some((w) => w.code === "non_frontal_view")) return null;
  const who = view.trained ? "The view model" : "The UNTRAINED demo view model";
  const tag = metadata.kind === "dicom" ? metadata.viewPosition?.trim().toUpperCase() : undefined;
  if (tag && FRONTAL_TAG.test(tag)) {
    return {
      code: "non_frontal_view",
      reason: "view_tag_disagrees",
      message: `The DICOM view position says ${tag}, but ${who.charAt(0).toLowerCase()}${who.slice(1)} reads the film as a lateral view; check the view before relying on the findings, which apply to frontal films only.`,
    };
  }
  return {
    code: "non_frontal_view",
    reason: "view_model_lateral",
    message: `${who} reads this film as a lateral view, not a frontal (PA/AP) one; the findings model is trained on frontal chest films.`,
  };
}
