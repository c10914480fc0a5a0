import "server-only";
import { inArray, sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { analyses } from "@/lib/db/schema";
import { errorSummary, logger } from "@/lib/log";

// Waiting for analyses to finish (`Prefer: wait`): a worker in this process announces its results at
// once; results of workers in other processes are found by one query a poll for all waiting requests
// together, so many waiting clients cost no more than one. That query is one index lookup, so the poll
// is kept short: its interval adds directly to every waiting client's time to a result.

const POLL_MS = 100;

interface Waiter {
  ids: Set<string>;
  resolve: () => void;
}

const state = globalThis as unknown as { cxrCompletion?: { waiters: Set<Waiter>; timer: NodeJS.Timeout | null } };
const shared = (state.cxrCompletion ??= { waiters: new Set(), timer: null });

function settle(finished: Iterable<string>): void {
  const done = new Set(finished);
  for (const w of shared.waiters) {
    for (const id of w.ids) if (done.has(id)) w.ids.delete(id);
    if (w.ids.size === 0) {
      shared.waiters.delete(w);
      w.resolve();
    }
  }
}

/** Called by the worker after results (or a final failure) are committed. */
export async function announceFinished(ids: string[]): Promise<void> {
  if (ids.length) settle(ids);
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

function ensurePolling(): void {
  if (shared.timer) return;
  const tick = async () => {
    await poll();
    shared.timer = shared.waiters.size > 0 ? setTimeout(tick, POLL_MS) : null;
    shared.timer?.unref();
  };
  shared.timer = setTimeout(tick, POLL_MS);
  shared.timer.unref();
}

/** Resolves true when every analysis in `ids` has finished (completed or failed), false after `timeoutMs`. */
export async function waitForFinished(ids: string[], timeoutMs: number): Promise<boolean> {
  if (ids.length === 0) return true;
  const waiter: Waiter = { ids: new Set(ids), resolve: () => undefined };
  const finished = new Promise<boolean>((resolve) => {
    waiter.resolve = () => resolve(true);
  });
  shared.waiters.add(waiter);
  ensurePolling();
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
