import { describe, expect, it } from "vitest";
import type { ImageMetadata } from "@/lib/imaging/types";
import { viewWarning } from "./view-check";

// The view model's verdict as the gate's lateral warning: a PNG read as lateral, a DICOM whose frontal
// tag the pixels contradict, and no double flag for a DICOM the tag already marks as lateral.

const raster = { kind: "raster", bitDepth: 8, channels: 1, colour: false } as unknown as ImageMetadata;
const dicom = (viewPosition?: string) => ({ kind: "dicom", viewPosition }) as unknown as ImageMetadata;
const lateral = { label: "Lateral", logits: [-2, 0.7], trained: true };
const frontal = { label: "Frontal", logits: [1.4, -3.8], trained: true };

describe("view check", () => {
  it("flags a film the view model reads as lateral, naming an untrained model as such", () => {
    expect(viewWarning(lateral, raster, [])).toMatchObject({ code: "non_frontal_view", reason: "view_model_lateral", message: expect.stringMatching(/^The view model reads this film as a lateral view/) });
    expect(viewWarning({ ...lateral, trained: false }, raster, [])?.message).toMatch(/^The UNTRAINED demo view model/);
  });

  it("says so when the DICOM view tag says frontal and the pixels say lateral", () => {
    const w = viewWarning(lateral, dicom("PA"), []);
    expect(w).toMatchObject({ code: "non_frontal_view", reason: "view_tag_disagrees" });
    expect(w?.message).toMatch(/view position says PA, but the view model reads the film as a lateral view/);
  });

  it("adds nothing for a frontal verdict or a film the DICOM gate already flagged", () => {
    expect(viewWarning(frontal, raster, [])).toBeNull();
    expect(viewWarning(frontal, dicom("LL"), [{ code: "non_frontal_view", message: "View position is LL" }])).toBeNull();
    expect(viewWarning(lateral, dicom("LL"), [{ code: "non_frontal_view", message: "View position is LL" }])).toBeNull();
  });
});
