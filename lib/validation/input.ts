// Inputs at the validation boundaries (CLI files, route bodies), checked with zod.
import { z } from "zod";
import { Uuid } from "@/lib/core/uuid-param";

/** Site thresholds as a file for `npm run evaluate -- --thresholds`: { "Pneumothorax": 0.3, ... }. */
export const ThresholdsFile = z.record(z.string().min(1).max(80), z.number().min(0).max(1));

export const TargetSensitivity = z.number().min(0.5, "Choose a sensitivity of at least 50%.").max(1);

// A day of the calendar, within years a review can have been signed in (not 0000-01-01 or 9999-12-31).
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-03-31.")
  .superRefine((d, ctx) => {
    const [year, month, day] = d.split("-").map(Number);
    if (year < FIRST_YEAR || year > LAST_YEAR) {
      ctx.addIssue({ code: "custom", message: `${d}: choose a date between ${FIRST_YEAR} and ${LAST_YEAR}.` });
    } else if (month < 1 || month > 12) {
      ctx.addIssue({ code: "custom", message: `${d} is not a date: there is no month ${month}.` });
    } else if (day < 1 || day > daysIn(year, month)) {
      ctx.addIssue({ code: "custom", message: `${d} is not a date: ${MONTHS[month - 1]} ${year} has ${daysIn(year, month)} days.` });
    }
  });
const Name = z.string().trim().min(1, "Give the set a name.").max(120);

/** 5 MB of CSV is far more than 20 000 labelled rows need. */
const MAX_CSV_CHARS = 5_000_000;
const MAX_SET_IMAGES = 20_000;
/** The request body of a new set: the CSV (UTF-8: up to 4 bytes a character) and the analysis ids, with room for JSON's quoting. */
export const CREATE_SET_MAX_BODY_BYTES = MAX_CSV_CHARS * 2 + MAX_SET_IMAGES * 40 + 64 * 1024;

export const CreateSetInput = z.discriminatedUnion("source", [
  z.object({
    source: z.literal("upload"),
    name: Name,
    labelsCsv: z.string().min(1, "The labels file is empty.").max(MAX_CSV_CHARS, "The labels file is larger than 5 MB."),
    analysisIds: z.array(Uuid).min(1, "Upload at least one image.").max(MAX_SET_IMAGES),
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
