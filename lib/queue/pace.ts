import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { analyses } from "@/lib/db/schema";

// When to ask again: the queue's measured pace (analyses finished over the last minute, by every
// worker), read at most every few seconds per process, turned into a Retry-After for a place in line.
// A client that waits that long finds its result about when it is there, instead of polling a busy
// server every half second.

const WINDOW_SECONDS = 60;
const FRESH_MS = 5_000;
/** Until something has finished in the last minute: a modest pace, so first answers say "soon". */
const FALLBACK_PER_SECOND = 2;
/** Never tell a client to stay away longer than this (a queue can move faster than measured). */
export const MAX_RETRY_AFTER_SECONDS = 30;

interface Reading {
  perSecond: number;
  at: number;
}
const state = globalThis as unknown as { cxrPace?: { reading: Reading | null; pending: Promise<Reading> | null } };
const cache = (state.cxrPace ??= { reading: null, pending: null });

// The larger of two readings: what finished in the window (right while the queue is busy) and one
// over the mean time an analysis took (right when little was sent: a quiet minute says nothing of
// how fast the next film will be done).
async function read(): Promise<Reading> {
  const [row] = await db
    .select({
      n: sql<number>`count(*)::int`,
      service: sql<number | null>`avg(extract(epoch from ${analyses.completedAt} - ${analyses.startedAt}))::float8`,
    })
    .from(analyses)
    .where(sql`${analyses.completedAt} > now() - make_interval(secs => ${WINDOW_SECONDS})`);
  const n = row?.n ?? 0;
  const service = Number(row?.service ?? 0);
  if (n === 0) return { perSecond: FALLBACK_PER_SECOND, at: Date.now() };
  return { perSecond: Math.max(n / WINDOW_SECONDS, service > 0 ? 1 / service : 0), at: Date.now() };
}

/** Analyses finished per second over the last minute (at most FRESH_MS old). */
export async function measuredPace(): Promise<number> {
  if (cache.reading && Date.now() - cache.reading.at < FRESH_MS) return cache.reading.perSecond;
  cache.pending ??= read()
    .then((r) => (cache.reading = r))
    .finally(() => {
      cache.pending = null;
    });
  return (await cache.pending).perSecond;
}

/** Seconds until an analysis at `place` in line (1 = next; null = being processed) is likely done. */
export function retryAfterFor(place: number | null, perSecond: number): number {
  const ahead = place ?? 0;
  // The analysis itself takes a turn too: place 1 at 15/s is done in about 2/15 s, i.e. 1 s.
  const seconds = Math.ceil((ahead + 1) / Math.max(perSecond, 1e-3));
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, seconds));
}
