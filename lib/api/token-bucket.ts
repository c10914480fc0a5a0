// A token bucket per caller: `perMinute` requests may arrive in a burst, then they refill evenly
// (perMinute / 60 per second). Two numbers per caller, swept when idle callers pile up. In memory on
// purpose: the app runs as one Node process, and a restart only forgives one minute of traffic.

export interface BucketDecision {
  allowed: boolean;
  /** Whole requests left right now. */
  remaining: number;
  /** When refused: seconds until one request is allowed again. */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

const SWEEP_ABOVE = 10_000;

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(readonly perMinute: number) {
    this.perMs = perMinute / 60_000;
  }

  private refill(key: string, now: number): Bucket {
    const b = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + Math.max(0, now - b.at) * this.perMs);
    b.at = now;
    return b;
  }

  /** Takes one token for `key`, or refuses with the wait until one is back. perMinute 0 = unlimited. */
  take(key: string, now = Date.now()): BucketDecision {
    if (this.perMinute <= 0) return { allowed: true, remaining: Infinity, retryAfterSeconds: 0 };
    if (this.buckets.size > SWEEP_ABOVE) this.sweep(now);
    const b = this.refill(key, now);
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true, remaining: Math.floor(b.tokens), retryAfterSeconds: 0 };
    }
    return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000)) };
  }

  /** Gives back a token taken by a request another limit then refused, so that refusal costs nothing here. */
  refund(key: string): void {
    const b = this.buckets.get(key);
    if (b) b.tokens = Math.min(this.perMinute, b.tokens + 1);
  }

  /** Full buckets carry no information: drop them. */
  private sweep(now: number) {
    for (const key of [...this.buckets.keys()]) {
      if (this.refill(key, now).tokens >= this.perMinute) this.buckets.delete(key);
    }
  }
}
