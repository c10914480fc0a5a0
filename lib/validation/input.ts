// Inputs at the validation boundaries (CLI files, route bodies), checked with zod.
import { z } from "zod";

/** Site thresholds as a file for `npm run evaluate -- --thresholds`: { "Pneumothorax": 0.3, ... }. */
export const ThresholdsFile = z.record(z.string().min(1).max(80), z.number().min(0).max(1));

export const TargetSensitivity = z.number().min(0.5, "Choose a sensitivity of at least 50%.").max(1);

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-03-31.");
const Name = z.string().trim().min(1, "Give the set a name.").max(120);

/** 5 MB of CSV is far more than 20 000 labelled rows need. */
const MAX_CSV_CHARS = 5_000_000;

export const CreateSetInput = z.discriminatedUnion("source", [
  z.object({
    source: z.literal("upload"),
    name: Name,
    labelsCsv: z.string().min(1, "The labels file is empty.").max(MAX_CSV_CHARS, "The labels file is larger than 5 MB."),
    analysisIds: z.array(z.uuid()).min(1, "Upload at least one image.").max(20_000),
  }),
  z.object({ source: z.literal("reviews"), name: Name, from: Day, to: Day }),
]);
export type CreateSetInput = z.infer<typeof CreateSetInput>;

/** A labels file and the names of the images to be uploaded with it, checked before any upload. */
export const CheckLabelsInput = z.object({
  labelsCsv: z.string().min(1, "The labels file is empty.").max(MAX_CSV_CHARS, "The labels file is larger than 5 MB."),
  fileNames: z.array(z.string().min(1).max(255)).min(1, "Choose at least one image.").max(20_000),
});

export const ApplyThresholdInput = z.object({
  label: z.string().min(1).max(80),
  targetSensitivity: TargetSensitivity,
});

export const ExportQuery = z.object({ kind: z.enum(["summary", "scores"]).default("summary") });
