// zod building blocks for values that the database would otherwise refuse with an error (a 500):
// dates outside the range PostgreSQL and people use, and text holding NUL or control characters.
// Used by the domain input schemas (lib/*/input.ts); the route wrapper refuses NUL everywhere.
import { z } from "zod";

/** Years a date in this app can sensibly carry (a study, an audit filter, a key's expiry). */
export const YEAR_RANGE = { min: 1900, max: 2200 } as const;

const inRange = (d: Date) => !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= YEAR_RANGE.min && d.getUTCFullYear() <= YEAR_RANGE.max;
const rangeMessage = `Use a date between the years ${YEAR_RANGE.min} and ${YEAR_RANGE.max}.`;

/** An ISO 8601 instant with an offset ("2026-12-01T08:00:00Z") in the sane year range. */
export const boundedInstant = () => z.iso.datetime({ offset: true }).refine((v) => inRange(new Date(v)), rangeMessage);

/** An ISO calendar day ("2026-12-01") in the sane year range. */
export const boundedDay = () => z.iso.date().refine((v) => inRange(new Date(`${v}T00:00:00Z`)), rangeMessage);

/** Anything `new Date()` reads (JSON dates arrive as strings), in the sane year range. */
export const boundedDate = () => z.coerce.date({ error: "Give a valid date." }).refine(inRange, rangeMessage);

// C0 controls and DEL. Line text additionally allows tab, line feed and carriage return.
const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** One line of text (a search term, a name): no control characters. */
export const lineText = () => z.string().refine((v) => !CONTROL.test(v), "Remove control characters from the text.");

/** Free text over several lines (an impression, a reason): tabs and line breaks only. */
export const multilineText = () => z.string().refine((v) => !CONTROL_BUT_LINES.test(v), "Remove control characters from the text.");

/** Whether any string inside a parsed JSON value or query holds NUL, which no text column can store. */
export function containsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === "object") return Object.entries(value).some(([k, v]) => k.includes("\u0000") || containsNul(v));
  return false;
}
