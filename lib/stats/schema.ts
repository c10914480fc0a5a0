import { z } from "zod";

/** Period choices of the statistics page; "all" (or nothing) means all time. */
export const STATS_PERIODS = ["7", "30", "90", "365", "all"] as const;

export const StatsQuery = z.object({
  days: z
    .enum(STATS_PERIODS)
    .optional()
    .transform((v) => (v && v !== "all" ? Number(v) : undefined)),
});
