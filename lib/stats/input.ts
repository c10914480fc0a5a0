import { z } from "zod";
import { Uuid } from "@/lib/core/uuid-param";

/** Period choices of the statistics page; "all" (or nothing) means all time. */
export const STATS_PERIODS = ["7", "30", "90", "365", "all"] as const;

const empty = (v: unknown) => (v === "" ? undefined : v);

export const StatsQuery = z.object({
  days: z
    .enum(STATS_PERIODS)
    .optional()
    .transform((v) => (v && v !== "all" ? Number(v) : undefined)),
  /** One uploader's studies (a person, or the account a modality uploads with). A staff id, not a patient's. */
  uploader: z.preprocess(empty, Uuid.optional()),
});
