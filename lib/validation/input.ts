// Inputs at the validation boundaries (CLI files, route bodies), checked with zod.
import { z } from "zod";

/** Site thresholds as a file for `npm run evaluate -- --thresholds`: { "Pneumothorax": 0.3, ... }. */
export const ThresholdsFile = z.record(z.string().min(1).max(80), z.number().min(0).max(1));

export const TargetSensitivity = z.number().min(0.5).max(1);
