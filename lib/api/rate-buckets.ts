import "server-only";
import { lt, sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { rateBuckets } from "@/lib/db/schema";

// Request budgets in PostgreSQL, shared by every instance of the app, in the manner of the sign-in
// counters (lib/auth/attempt-limiter.ts: a row per scope and key, swept when dead). Each bucket holds
// `perMinute` requests and refills evenly, kept as one number, its theoretical arrival time (GCRA):
// a request is allowed when max(tat, now) + interval <= now + 1 minute, and then moves tat on by one
// interval. The check and the count are one statement, the count a conditional upsert under the row's
// lock, so parallel requests on any instance cannot overspend; a refused request writes nothing.

const WINDOW_MS = 60_000;
const SWEEP_EVERY_MS = 10 * 60_000;
const globalForSweep = globalThis as unknown as { cxrRateBucketSweepAt?: number };

export type BucketScope = "ip" | "key";

export interface BucketRequest {
  scope: BucketScope;
  key: string;
  /** Requests per minute (≥ 1): also the burst allowed at once. */
  perMinute: number;
}

export interface BucketRefusal {
  scope: BucketScope;
  /** Milliseconds until one request is allowed again. */
  retryAfterMs: number;
}

interface Row {
  kind: "over" | "counted";
  scope: BucketScope;
  retry_ms: number | null;
}

/**
 * Takes `cost` requests (one, or a STOW-RS request's instances) from each bucket, all or none, in a
 * single statement: buckets already out of room refuse the request and nothing is written; otherwise
 * each is counted by a conditional upsert. Returns the refusal (an address before a key), or null when
 * the request is allowed. A cost above a bucket's perMinute never fits: the caller refuses it first.
 */
export async function takeFromBuckets(requests: BucketRequest[], now = Date.now(), cost = 1): Promise<BucketRefusal | null> {
  if (requests.length === 0) return null;
  await sweep();
  const values = sql.join(
    requests.map((r) => sql`(${r.scope}, ${r.key}, ${WINDOW_MS / r.perMinute}::float8)`),
    sql`, `,
  );
  // `over` reads the buckets as they were when the statement began; the upsert then re-checks each row
  // under its lock, so two requests racing for the last slot cannot both have it.
  const result = await db.execute(sql`
    with req (scope, key, interval_ms) as (values ${values}),
    over as (
      select r.scope, b.tat + r.interval_ms - ${WINDOW_MS}::float8 - ${now}::float8 as retry_ms
      from req r join rate_buckets b on b.scope = r.scope and b.key = r.key
      where greatest(b.tat, ${now}::float8) + r.interval_ms * ${cost}::float8 > ${now + WINDOW_MS}::float8
    ),
    counted as (
      insert into rate_buckets (scope, key, tat, interval_ms)
      select scope, key, ${now}::float8 + interval_ms * ${cost}::float8, interval_ms from req where not exists (select 1 from over)
      on conflict (scope, key) do update
        set tat = greatest(rate_buckets.tat, ${now}::float8) + excluded.interval_ms * ${cost}::float8, interval_ms = excluded.interval_ms
        where greatest(rate_buckets.tat, ${now}::float8) + excluded.interval_ms * ${cost}::float8 <= ${now + WINDOW_MS}::float8
      returning scope
    )
    select 'over' as kind, scope, retry_ms from over
    union all select 'counted', scope, null from counted`);
  // postgres.js answers with the rows, PGlite with { rows }.
  const rows = (Array.isArray(result) ? result : (result as unknown as { rows: Row[] }).rows) as Row[];
  const over = rows.filter((r) => r.kind === "over");
  const refused = over.find((r) => r.scope === "ip") ?? over[0];
  if (refused) return { scope: refused.scope, retryAfterMs: Math.max(1, Number(refused.retry_ms)) };
  const counted = new Set(rows.map((r) => r.scope));
  // Lost the race for the last slot: about one interval until the next.
  const lost = requests.find((r) => !counted.has(r.scope));
  return lost ? { scope: lost.scope, retryAfterMs: (WINDOW_MS / lost.perMinute) * cost } : null;
}

// On the process's real clock, not a caller's `now`, like the sign-in counters' sweep.
async function sweep(): Promise<void> {
  const now = Date.now();
  if (now - (globalForSweep.cxrRateBucketSweepAt ?? 0) < SWEEP_EVERY_MS) return;
  globalForSweep.cxrRateBucketSweepAt = now;
  await db.delete(rateBuckets).where(lt(rateBuckets.tat, now - WINDOW_MS));
}
