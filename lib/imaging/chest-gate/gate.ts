// Is this a chest radiograph at all? Rules on image statistics that every fixture chest film shares
// and most other pictures break (features.ts). Each rule has a coded reason, so a refusal or a warning
// says why. Thresholds leave a margin around the fixture films (the tightest is noted per rule) and
// were chosen on the tuning families of the test corpus (test/support/imaging/gate-corpus.ts); the
// detection rate is reported on the held-out families (`npm run gate:report`).
import type { GreyImage } from "../types";
import { chestFeatures, type ChestFeatures } from "./features";

export type ChestGateReason =
  | "chest_like"
  | "fine_texture"
  | "no_fine_structure"
  | "single_tone"
  | "flat_regions"
  | "asymmetric"
  | "no_chest_layout";

export interface ChestGateDecision {
  chest: boolean;
  reason: ChestGateReason;
  /** One sentence for the result page; empty when the image passes. */
  message: string;
  features: ChestFeatures;
}

interface Rule {
  reason: Exclude<ChestGateReason, "chest_like">;
  fails: (f: ChestFeatures) => boolean;
  message: string;
}

/** In the order they are checked: the first failing rule is the reason given. */
export const CHEST_GATE_RULES: readonly Rule[] = [
  {
    // Films: 0.03-0.11. Uniform or Gaussian noise: ~1.1; text, fine stripes and checkerboards: > 0.25.
    reason: "fine_texture",
    fails: (f) => f.highFrequency > 0.25,
    message: "it is dominated by fine, noise-like texture",
  },
  {
    // Films: at most 11% of the image in one grey level; blank and text pages: most of it.
    reason: "single_tone",
    fails: (f) => f.mode > 0.3,
    message: "most of it is a single grey level, like a blank or printed page",
  },
  {
    // Films always carry some fine structure (bone edges, vessels, grain): at least 0.029 here.
    reason: "no_fine_structure",
    fails: (f) => f.highFrequency < 0.012,
    message: "it is perfectly smooth, like a drawn gradient, with none of a film's fine structure",
  },
  {
    // Films: at most 11% perfectly flat; drawings, pages, stripes, checkerboards: far more.
    reason: "flat_regions",
    fails: (f) => f.flat > 0.3,
    message: "it is made of flat regions with sharp edges, like a drawing or a pattern",
  },
  {
    // Films: mirror correlation at least 0.47 (a rotated film included); photographs rarely reach 0.3.
    reason: "asymmetric",
    fails: (f) => f.symmetry < 0.3,
    message: "it lacks the left-right symmetry of a chest film",
  },
  {
    // Films: the mediastinum differs from the lung fields by at least 0.08 and on at least 66% of rows.
    reason: "no_chest_layout",
    fails: (f) => Math.abs(f.mediastinum) < 0.04 || f.layoutRows < 0.45,
    message: "it lacks a chest's layout: a central column (mediastinum and spine) between two lung fields",
  },
];

export function assessChestRadiograph(img: GreyImage): ChestGateDecision {
  const features = chestFeatures(img);
  const failed = CHEST_GATE_RULES.find((r) => r.fails(features));
  if (!failed) return { chest: true, reason: "chest_like", message: "", features };
  return { chest: false, reason: failed.reason, message: failed.message, features };
}
