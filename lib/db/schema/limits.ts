import { doublePrecision, index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

/**
 * Request rate limits shared by every instance (lib/api/rate-limit.ts): one token bucket per caller,
 * kept as its theoretical arrival time (GCRA), so counting a request is one conditional upsert and a
 * refused request writes nothing. A bucket whose `tat` has passed is full, carries no information and
 * is swept.
 */
export const rateBuckets = pgTable(
  "rate_buckets",
  {
    /** "ip" or "key". */
    scope: text("scope").notNull(),
    /** A client address or an API key's id. */
    key: text("key").notNull(),
    /** Epoch milliseconds (fractional: high limits mean sub-millisecond steps) at which the bucket is full again. */
    tat: doublePrecision("tat").notNull(),
    /** The limit last applied, as milliseconds per request (60,000 / requests per minute). */
    intervalMs: doublePrecision("interval_ms").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index("rate_buckets_tat_idx").on(t.tat)],
);
