// A person's own settings, shared by the preferences form (client) and the route: one schema, one truth.
import { z } from "zod";

/** The reader's viewer preferences. */
export const ReaderPreferences = z.object({
  /** Letters, digits, signs and arrows act in the viewer (while it has focus); off, only "?" does. */
  singleKeyShortcuts: z.boolean(),
  /** A result opens with the top finding's heatmap shown; off (the default), on the plain film, read first unbiased. */
  heatmapOnOpen: z.boolean(),
});
export type ReaderPreferences = z.infer<typeof ReaderPreferences>;

export const DEFAULT_READER_PREFERENCES: ReaderPreferences = { singleKeyShortcuts: true, heatmapOnOpen: false };

/** A change to some of the preferences; an unknown key is refused (400), not stored. */
export const ReaderPreferencesChange = ReaderPreferences.partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: "Nothing to change: give singleKeyShortcuts or heatmapOnOpen." });
export type ReaderPreferencesChange = z.infer<typeof ReaderPreferencesChange>;

/** The preferences held in a stored value: each one that is missing or malformed is its default. */
export function readerPreferencesOf(stored: unknown): ReaderPreferences {
  const raw = stored && typeof stored === "object" ? (stored as Record<string, unknown>) : {};
  const pick = <K extends keyof ReaderPreferences>(key: K): ReaderPreferences[K] => {
    const parsed = ReaderPreferences.shape[key].safeParse(raw[key]);
    return (parsed.success ? parsed.data : DEFAULT_READER_PREFERENCES[key]) as ReaderPreferences[K];
  };
  return { singleKeyShortcuts: pick("singleKeyShortcuts"), heatmapOnOpen: pick("heatmapOnOpen") };
}
