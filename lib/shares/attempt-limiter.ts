// Counts wrong access codes in a sliding window. An attempt takes its slot before the (slow) code check
// runs, so parallel guesses cannot all slip past the limit; a right code clears the slots of its key.
// Kept in memory: the app runs as one Node process, and a restart only forgives a few guesses.

export interface AttemptDecision {
  allowed: boolean;
  /** Attempts left in the window after this one (0 when refused). */
  remaining: number;
  /** When refused: milliseconds until the oldest attempt leaves the window. */
  retryAfterMs: number;
}

const SWEEP_ABOVE_KEYS = 10_000;

export class AttemptLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {}

  private live(key: string, now: number): number[] {
    const list = (this.attempts.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.attempts.set(key, list);
    else this.attempts.delete(key);
    return list;
  }

  /** Reserves one attempt for `key`, or refuses with the time until one is free again. */
  attempt(key: string, now = Date.now()): AttemptDecision {
    if (this.attempts.size > SWEEP_ABOVE_KEYS) this.sweep(now);
    const list = this.live(key, now);
    if (list.length >= this.max) {
      return { allowed: false, remaining: 0, retryAfterMs: Math.max(1, list[0] + this.windowMs - now) };
    }
    list.push(now);
    this.attempts.set(key, list);
    return { allowed: true, remaining: this.max - list.length, retryAfterMs: 0 };
  }

  /** Read-only view: would the next attempt be refused? */
  peek(key: string, now = Date.now()): AttemptDecision {
    const list = this.live(key, now);
    if (list.length >= this.max) {
      return { allowed: false, remaining: 0, retryAfterMs: Math.max(1, list[0] + this.windowMs - now) };
    }
    return { allowed: true, remaining: this.max - list.length, retryAfterMs: 0 };
  }

  clear(key: string): void {
    this.attempts.delete(key);
  }

  private sweep(now: number) {
    for (const key of [...this.attempts.keys()]) this.live(key, now);
  }
}
