/** At most `limit` callers inside `run` at once; the others wait their turn in arrival order. */
export class ConcurrencyGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      // The place passes straight to the next in line, so a newcomer cannot slip in ahead of it.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  /** Callers waiting for a place. */
  get queued(): number {
    return this.waiting.length;
  }
}
