// Test-only: an AnatomySummary computed for real from the reference PSPNet masks of a fixture film
// (../shared/fixtures/zoo/pspnet: the TorchXRayVision code's own masks), mapped onto a film of the given
// size by the app's own rules (lib/anatomy: largest components, widest rows, model frame to film), without
// running the 0.5-TFLOP network in every test. Finding zones come from a class activation map the same way.
import { measureCtr } from "@/lib/anatomy/ctr";
import { extentToFilm, type FilmGeometry } from "@/lib/anatomy/film-frame";
import { findingZone, lungsFromPacked, type CamInput } from "@/lib/anatomy/finding-zones";
import { TARGET_INDEX, unpackMask } from "@/lib/anatomy/masks";
import { AP_NOTE, type AnatomySummary } from "@/lib/anatomy/run-models";
import { readFixture } from "@/test/support/imaging/fixtures";
import { readZooReference } from "@/test/support/zoo-models";

const SIZE = 512;

interface PspnetReference {
  targets: string[];
  images: { file: string; masks: string; mask_pixels: number[]; ctr: { ratio: number | null } }[];
}

export interface FixtureSummaryOptions {
  /** The film the masks are mapped onto (its size and, when calibrated, its pixel spacing). */
  film: FilmGeometry;
  projection?: "AP" | "PA" | null;
  /** Positive findings' maps: label -> its index in `cam`. */
  zonesFrom?: { cam: CamInput; classes: Record<string, number> };
  trained?: boolean;
}

export function fixtureSummary(fixtureFilm: string, options: FixtureSummaryOptions): { summary: AnatomySummary; packed: Uint8Array; referenceRatio: number | null } {
  const ref = readZooReference<PspnetReference>("pspnet");
  const image = ref.images.find((i) => i.file === fixtureFilm);
  if (!image) throw new Error(`no reference masks for ${fixtureFilm}`);
  const packed = new Uint8Array(readFixture("zoo", "pspnet", image.masks));
  const mask = (t: number) => unpackMask(packed, t, SIZE);
  const { heart, thorax, ratio } = measureCtr({ heart: mask(TARGET_INDEX.heart), leftLung: mask(TARGET_INDEX.leftLung), rightLung: mask(TARGET_INDEX.rightLung) }, SIZE, SIZE);
  const lungs = lungsFromPacked(packed, SIZE);
  const zones = options.zonesFrom;
  const findingZones = zones
    ? Object.fromEntries(Object.entries(zones.classes).map(([label, index]) => [label, findingZone(zones.cam, index, lungs, SIZE)?.label ?? null]))
    : undefined;
  const projection = options.projection ?? null;
  return {
    packed,
    referenceRatio: image.ctr.ratio,
    summary: {
      model: { name: "chestx_det-pspnet", version: "fixture-seed1", trained: options.trained ?? false },
      ctr: { ratio, heartWidth: heart.width, thoracicWidth: thorax.width, heartRow: heart.row, thoracicRow: thorax.row },
      film: {
        heart: extentToFilm(heart, options.film, SIZE),
        thorax: extentToFilm(thorax, options.film, SIZE),
        pixelSpacing: options.film.pixelSpacingMm ? "pixel" : null,
      },
      maskPixels: image.mask_pixels,
      targets: ref.targets,
      ...(findingZones ? { findingZones } : {}),
      projection,
      apNote: projection === "AP" ? AP_NOTE : null,
    },
  };
}
