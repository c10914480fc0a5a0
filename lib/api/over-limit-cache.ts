// Callers known to be over their limit, until when: a refusal is answered from here, without touching
// the database, until the moment PostgreSQL said a request would be allowed again. Per process; the
// authoritative count is in PostgreSQL (rate-buckets.ts), so another instance learns of a refusal on
// its own first refused request, which writes nothing either.

const MAX_ENTRIES = 50_000;

export class OverLimitCache {
  private readonly until = new Map<string, number>();

  /** Milliseconds until `id` may try again; 0 when it is not known to be over its limit. */
  remainingMs(id: string, now = Date.now()): number {
    const until = this.until.get(id);
    if (until === undefined) return 0;
    if (until <= now) {
      this.until.delete(id);
      return 0;
    }
    return until - now;
  }

  refuseUntil(ids: string[], until: number, now = Date.now()): void {
    if (this.until.size >= MAX_ENTRIES) this.sweep(now);
    // Still full of live entries (a flood from very many addresses): forget them all rather than grow;
    // each then costs one read-only check against PostgreSQL again.
    if (this.until.size >= MAX_ENTRIES) this.until.clear();
    for (const id of ids) this.until.set(id, until);
  }

  private sweep(now: number): void {
    for (const [id, until] of this.until) if (until <= now) this.until.delete(id);
  }
}
