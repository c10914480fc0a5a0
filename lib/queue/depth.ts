import "server-only";
import { eq, sql } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { db, preparedOnce } from "@/lib/db/client";
import { analyses } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { countAdmissionRejected } from "@/lib/metrics";

// How many analyses wait for a worker, read at most once a second per process: refusing an upload
// because the queue is full must cost nothing (no query, no write), however many arrive.

export interface QueueDepth {
  /** Analyses accepted and not yet claimed by a worker. */
  waiting: number;
  /** Analyses a worker holds right now. */
  processing: number;
  /** Seconds the oldest waiting analysis has waited (0 when none waits). */
  oldestWaitingSeconds: number;
  /** Waiting analyses marked delayed (their transient retries spent: lib/queue/delayed.ts). */
  delayed: number;
  /** When this reading was taken (epoch ms). */
  at: number;
}

const FRESH_MS = 1_000;
const state = globalThis as unknown as { cxrQueueDepth?: { reading: QueueDepth | null; pending: Promise<QueueDepth> | null; acceptedSince: number } };
const cache = (state.cxrQueueDepth ??= { reading: null, pending: null, acceptedSince: 0 });

async function read(): Promise<QueueDepth> {
  const rows = await db
    .select({
      status: analyses.status,
      n: sql<number>`count(*)::int`,
      oldest: sql<number | null>`extract(epoch from now() - min(${analyses.createdAt}))::float8`,
      delayed: sql<number>`(count(*) filter (where ${analyses.errorCode} = 'delayed'))::int`,
    })
    .from(analyses)
    .where(sql`${analyses.status} in ('queued', 'processing')`)
    .groupBy(analyses.status);
  const queued = rows.find((r) => r.status === "queued");
  const processing = rows.find((r) => r.status === "processing");
  return {
    waiting: queued?.n ?? 0,
    processing: processing?.n ?? 0,
    oldestWaitingSeconds: Math.max(0, Number(queued?.oldest ?? 0)),
    delayed: queued?.delayed ?? 0,
    at: Date.now(),
  };
}

/** The queue's depth, at most a second old (`fresh`: counted now, or by a count already under way). */
export function queueDepth(fresh = false): Promise<QueueDepth> {
  if (!fresh && cache.reading && Date.now() - cache.reading.at < FRESH_MS) return Promise.resolve(cache.reading);
  cache.pending ??= read()
    .then((reading) => {
      cache.reading = reading;
      cache.acceptedSince = 0;
      return reading;
    })
    .finally(() => {
      cache.pending = null;
    });
  return cache.pending;
}

/** Counts uploads this process accepted since the last reading, so a burst cannot overshoot QUEUE_MAX unseen. */
export function noteAccepted(count: number): void {
  cache.acceptedSince += count;
}

const RETRY_AFTER_SECONDS = 30;

/**
 * Route `before` hook: refuses an upload with 503 + Retry-After, before its body is read, when QUEUE_MAX
 * analyses already wait. Decided from the cached reading: a refusal writes nothing, and however many
 * uploads arrive, a process counts the queue at most once a second.
 */
export function requireQueueRoom(): Promise<void> {
  return requireQueueRoomFor(1);
}

/** requireQueueRoom for a request that would add `count` analyses at once (a STOW-RS request's instances). */
export async function requireQueueRoomFor(count: number): Promise<void> {
  const fits = (r: QueueDepth) => r.waiting + cache.acceptedSince + count <= env.QUEUE_MAX;
  let reading = cache.reading ?? (await queueDepth());
  // Uploads accepted since the reading may have been analysed meanwhile: count again before refusing.
  if (!fits(reading) && (cache.acceptedSince > 0 || Date.now() - reading.at >= FRESH_MS)) reading = await queueDepth(true);
  if (fits(reading)) return;
  countAdmissionRejected();
  throw new AppError(
    "service_unavailable",
    count > 1
      ? `The analysis queue has no room for ${count} more images (at most ${env.QUEUE_MAX} wait); retry in ${RETRY_AFTER_SECONDS} s or send fewer.`
      : `The analysis queue is full (${env.QUEUE_MAX} images waiting); retry in ${RETRY_AFTER_SECONDS} s.`,
    { retryAfterSeconds: RETRY_AFTER_SECONDS, subcode: "queue_full" },
  );
}

// Numbered over every waiting analysis, oldest first, then narrowed to the ids (one array parameter,
// whatever their number). (A correlated count of the rows ahead would need the outer row's columns
// qualified, which drizzle leaves unqualified in a one-table query, so inside the subquery they would
// name the inner row and every place would be 1.) Built once (lib/db/client.ts): every upload's answer
// asks it.
const placesOf = preparedOnce((d) => {
  const line = d
    .select({ id: analyses.id, place: sql<number>`(row_number() over (order by ${analyses.createdAt}, ${analyses.id}))::int`.as("place") })
    .from(analyses)
    .where(eq(analyses.status, "queued"))
    .as("line");
  return d
    .select({ id: line.id, place: line.place })
    .from(line)
    .where(sql`${line.id} = any(${sql.placeholder("ids")}::uuid[])`)
    .prepare("queue_places");
});

/** Place in the queue (1 = next) of each of `ids` that is waiting; the others are left out. */
export async function queuePlaces(ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await placesOf().execute({ ids });
  return new Map(rows.map((r) => [r.id, r.place]));
}
