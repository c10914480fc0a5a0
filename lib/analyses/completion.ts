import "server-only";
import { inArray, sql, type SQL } from "drizzle-orm";
import { db, listenDb } from "@/lib/db/client";
import type { Listener } from "@/lib/db/listen";
import { analyses } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { errorSummary, logger } from "@/lib/log";

// Waiting for analyses to finish (`Prefer: wait`). The statement that finishes an analysis also
// notifies FINISHED_CHANNEL with its id (`finishedNotice`), in whichever process the worker runs; each
// process that has waiting requests listens there and answers them as the notification arrives. A
// notification can be missed (the listening connection was lost, or not yet in place), so the waiting
// requests are also looked up in the database, all together in one query: at once when the listener
// is (back) in place, and every WAIT_POLL_SECONDS. Before, every waiting request waited for a poll
// every 100 ms: about 55 ms of every answer.

export const FINISHED_CHANNEL = "analysis_finished";

/** The SQL expression that notifies the waiting requests of the analysis `id` (evaluate it in the finishing statement). */
export function finishedNotice(id: SQL | typeof analyses.id): SQL {
  return sql`pg_notify(${FINISHED_CHANNEL}, ${id}::text)`;
}

interface Waiter {
  ids: Set<string>;
  resolve: () => void;
}

interface Shared {
  waiters: Set<Waiter>;
  timer: NodeJS.Timeout | null;
  /** When the scheduled poll runs (epoch ms). */
  timerAt: number;
  listener: Listener | null;
  /** Told of every finished analysis this process hears of, by name (a module loaded twice registers once). */
  watchers: Map<string, (id: string) => void>;
}

const state = globalThis as unknown as { cxrCompletion?: Shared };
const shared = (state.cxrCompletion ??= { waiters: new Set(), timer: null, timerAt: 0, listener: null, watchers: new Map() });

function settle(finished: Iterable<string>): void {
  const done = new Set(finished);
  if (done.size === 0) return;
  for (const w of shared.waiters) {
    for (const id of w.ids) if (done.has(id)) w.ids.delete(id);
    if (w.ids.size === 0) {
      shared.waiters.delete(w);
      w.resolve();
    }
  }
}

async function poll(): Promise<void> {
  const wanted = [...new Set([...shared.waiters].flatMap((w) => [...w.ids]))];
  if (wanted.length === 0) return;
  try {
    const rows = await db
      .select({ id: analyses.id })
      .from(analyses)
      .where(sql`${inArray(analyses.id, wanted)} and ${analyses.status} in ('completed', 'failed')`);
    settle(rows.map((r) => r.id));
  } catch (error) {
    // The database may be away for a moment: the waiting requests keep waiting until their deadline.
    logger.warn({ err: errorSummary(error) }, "waiting for analyses: poll failed");
  }
}

/** Polls after `ms` (or sooner, when a poll is already due sooner), while anyone waits. */
function schedulePoll(ms: number): void {
  const at = Date.now() + ms;
  if (shared.timer && shared.timerAt <= at) return;
  if (shared.timer) clearTimeout(shared.timer);
  shared.timerAt = at;
  shared.timer = setTimeout(async () => {
    shared.timer = null;
    await poll();
    if (shared.waiters.size > 0) schedulePoll(env.WAIT_POLL_SECONDS * 1000);
  }, ms);
  shared.timer.unref();
}

function ensureListening(): void {
  if (shared.listener && !shared.listener.closed) return;
  shared.listener = listenDb(FINISHED_CHANNEL, {
    onNotify: (id) => {
      settle([id]);
      for (const watch of shared.watchers.values()) watch(id);
    },
    // What finished before the listener was in place was not announced: look it up now.
    onListening: () => {
      if (shared.waiters.size > 0) schedulePoll(0);
    },
  });
}

/**
 * Calls `onFinished` with the id of every analysis whose finishing notification reaches this process
 * from now on (a hint: one lost with the listening connection is not repeated). Registered under
 * `name`, so registering again replaces rather than adds.
 */
export function watchFinished(name: string, onFinished: (id: string) => void): void {
  shared.watchers.set(name, onFinished);
  ensureListening();
}

export interface WaitOptions {
  /** Some of `ids` may have finished already (a replayed request): look them up at once. */
  mayHaveFinished?: boolean;
}

/** Resolves true when every analysis in `ids` has finished (completed or failed), false after `timeoutMs`. */
export async function waitForFinished(ids: string[], timeoutMs: number, options: WaitOptions = {}): Promise<boolean> {
  if (ids.length === 0) return true;
  const waiter: Waiter = { ids: new Set(ids), resolve: () => undefined };
  const finished = new Promise<boolean>((resolve) => {
    waiter.resolve = () => resolve(true);
  });
  shared.waiters.add(waiter);
  ensureListening();
  schedulePoll(options.mayHaveFinished ? 0 : env.WAIT_POLL_SECONDS * 1000);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([finished, timedOut]);
  } finally {
    clearTimeout(timer);
    shared.waiters.delete(waiter);
  }
}
