import "server-only";
import { and, eq, lt, sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { attemptCounters } from "@/lib/db/schema";

// Counts attempts at guessing a secret (passwords at sign-in, share access codes) in a sliding window,
// in PostgreSQL: a restart or a second process must not hand an attacker a fresh budget. An attempt
// takes its slot before the slow check (argon2) runs, under the row's lock, so parallel guesses cannot
// all slip past the limit. Callers give a slot back or clear a key when the guess was right.

export interface AttemptDecision {
  allowed: boolean;
  /** Attempts left in the window after this one (0 when refused). */
  remaining: number;
  /** When refused: milliseconds until the oldest attempt leaves the window. */
  retryAfterMs: number;
  /** When allowed: the time the slot was taken, to give it back with release(). */
  at: number;
}

// Dead rows (every attempt out of the window) are deleted at most this often per process.
const SWEEP_EVERY_MS = 10 * 60_000;
const globalForSweep = globalThis as unknown as { cxrAttemptSweepAt?: number };

export class AttemptLimiter {
  /** `max` 0 turns the limit off (every attempt allowed, nothing stored). */
  constructor(
    readonly scope: string,
    readonly max: number,
    readonly windowMs: number,
  ) {}

  /** Reserves one attempt for `key`, or refuses with the time until one is free again. */
  async attempt(key: string, now = Date.now()): Promise<AttemptDecision> {
    if (this.max === 0) return { allowed: true, remaining: Number.POSITIVE_INFINITY, retryAfterMs: 0, at: now };
    await this.sweep();
    return db.transaction(async (tx) => {
      // The no-op update on conflict takes the row's lock: attempts on one key queue here until the
      // transaction before them has committed its count.
      const [row] = await tx
        .insert(attemptCounters)
        .values({ scope: this.scope, key, attempts: [], expiresAt: new Date(now) })
        .onConflictDoUpdate({ target: [attemptCounters.scope, attemptCounters.key], set: { key: sql`excluded.key` } })
        .returning({ attempts: attemptCounters.attempts });
      const live = row.attempts.filter((t) => t > now - this.windowMs);
      const allowed = live.length < this.max;
      const kept = allowed ? [...live, now] : live;
      await tx
        .update(attemptCounters)
        .set({ attempts: kept, expiresAt: new Date(Math.max(now, ...kept) + this.windowMs) })
        .where(this.row(key));
      return allowed
        ? { allowed, remaining: this.max - kept.length, retryAfterMs: 0, at: now }
        : { allowed, remaining: 0, retryAfterMs: Math.max(1, Math.min(...live) + this.windowMs - now), at: now };
    });
  }

  /** Gives back the slot an allowed attempt took at `at` (the attempt turned out not to count). */
  async release(key: string, at: number): Promise<void> {
    if (this.max === 0) return;
    await db.transaction(async (tx) => {
      const [row] = await tx.select({ attempts: attemptCounters.attempts }).from(attemptCounters).where(this.row(key)).for("update");
      const index = row?.attempts.indexOf(at) ?? -1;
      if (index < 0) return;
      await tx
        .update(attemptCounters)
        .set({ attempts: row.attempts.filter((_, i) => i !== index) })
        .where(this.row(key));
    });
  }

  /** Forgets every attempt for `key` (after a right guess). */
  async clear(key: string): Promise<void> {
    if (this.max === 0) return;
    await db.delete(attemptCounters).where(this.row(key));
  }

  private row(key: string) {
    return and(eq(attemptCounters.scope, this.scope), eq(attemptCounters.key, key));
  }

  // On the real clocks (the process's and the database's), not a caller's `now`: a test's clock must
  // not sweep away rows that other callers still count on.
  private async sweep(): Promise<void> {
    const now = Date.now();
    if (now - (globalForSweep.cxrAttemptSweepAt ?? 0) < SWEEP_EVERY_MS) return;
    globalForSweep.cxrAttemptSweepAt = now;
    await db.delete(attemptCounters).where(lt(attemptCounters.expiresAt, sql`now()`));
  }
}
