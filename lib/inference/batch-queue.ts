// Micro-batching for a single shared session. Callers enqueue single items and await their own result.
// One batch runs at a time (the session already uses every core); items that arrive meanwhile, or in
// the same tick, ride in the next batch of up to `maxBatch`. A lone request is never held back waiting
// for company, so batching adds no latency when the server is quiet.

interface Pending<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

export class BatchQueue<I, O> {
  private readonly pending: Pending<I, O>[] = [];
  private running = false;
  private inFlight: Promise<void> = Promise.resolve();
  private scheduled = false;
  private closedError: Error | null = null;
  /** Sizes of the batches run so far (kept small: for tests and health output). */
  readonly stats = { batches: 0, items: 0, largestBatch: 0 };

  constructor(
    private readonly runBatch: (items: I[]) => Promise<O[]>,
    private readonly maxBatch: number,
  ) {
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new Error("maxBatch must be a positive integer");
  }

  push(item: I): Promise<O> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  get depth(): number {
    return this.pending.length;
  }

  /** Reject everything still waiting; the batch in flight finishes. */
  close(error: Error): void {
    this.closedError = error;
    for (const p of this.pending.splice(0)) p.reject(error);
  }

  /** Resolves when no batch is running (used before releasing the session). */
  async whenIdle(): Promise<void> {
    while (this.running || this.scheduled) await this.inFlight;
  }

  private schedule() {
    if (this.running || this.scheduled) return;
    this.scheduled = true;
    // A microtask lets items enqueued in the same tick (e.g. run([a, b, c])) share the first batch.
    queueMicrotask(() => {
      this.scheduled = false;
      this.inFlight = this.drain();
    });
  }

  private async drain() {
    if (this.running) return;
    this.running = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch);
        this.stats.batches++;
        this.stats.items += batch.length;
        this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
        try {
          const out = await this.runBatch(batch.map((p) => p.item));
          if (out.length !== batch.length) throw new Error(`batch returned ${out.length} results for ${batch.length} items`);
          batch.forEach((p, i) => p.resolve(out[i]));
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
