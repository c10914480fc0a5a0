import { AppError } from "./errors";

// A bounded inference queue. A request first reserves room for all its files at once (admit), so an
// upload is either taken whole or refused whole with 503 before anything is stored; its files then run
// one at a time through at most `concurrency` slots, first come first served. Pure logic, no I/O, so
// it is tested without a model.

export interface GateHooks {
  onWait?: (seconds: number) => void;
  onReject?: () => void;
}

export interface AdmissionTicket {
  /** Jobs this ticket may still run. */
  readonly remaining: number;
  /** Waits for a slot, runs `job`, frees the slot; uses one of the ticket's reservations. */
  run<T>(job: () => Promise<T>): Promise<T>;
  /** Returns reservations the request will not use (e.g. it failed half-way). Safe to call twice. */
  release(): void;
}

export class AdmissionGate {
  private running = 0;
  /** Reserved by tickets and not finished: running + waiting + admitted-but-not-started. */
  private reserved = 0;
  private readonly waiters: (() => void)[] = [];
  /** Moving average of how long one job holds a slot, for Retry-After. */
  private avgJobMs: number;

  constructor(
    readonly concurrency: number,
    readonly queueSize: number,
    private readonly hooks: GateHooks = {},
    initialJobMs = 2_000,
  ) {
    this.avgJobMs = initialJobMs;
  }

  get capacity(): number {
    return this.concurrency + this.queueSize;
  }

  /** Counts for the metrics and the system page. `waiting` includes admitted jobs not yet started. */
  snapshot(): { running: number; waiting: number; capacity: number } {
    return { running: this.running, waiting: this.reserved - this.running, capacity: this.capacity };
  }

  /** Seconds until room for one more job is likely: the jobs ahead, spread over the slots. */
  retryAfterSeconds(): number {
    const ahead = this.reserved - this.concurrency + 1;
    return Math.min(300, Math.max(1, Math.ceil((Math.max(1, ahead) * this.avgJobMs) / this.concurrency / 1000)));
  }

  /** Cheap early refusal before a large body is read. */
  assertRoom(count = 1): void {
    if (this.reserved + count > this.capacity) this.refuse(count);
  }

  /** Reserves `count` jobs or throws: 503 (+Retry-After) when full now, 422 when it can never fit. */
  admit(count: number): AdmissionTicket {
    if (!Number.isInteger(count) || count < 1) throw new RangeError("admit() needs a positive job count");
    if (count > this.capacity) {
      throw new AppError(
        "unprocessable",
        `This server queues at most ${this.capacity} analyses at once; send at most ${this.capacity} files per request.`,
        { subcode: "too_many_files" },
      );
    }
    if (this.reserved + count > this.capacity) this.refuse(count);
    this.reserved += count;
    let remaining = count;
    const run = async <T>(job: () => Promise<T>): Promise<T> => {
      if (remaining < 1) throw new Error("This admission ticket has no reservations left");
      remaining -= 1;
      await this.acquire();
      const started = performance.now();
      try {
        return await job();
      } finally {
        this.finish(performance.now() - started);
      }
    };
    const release = () => {
      this.reserved -= remaining;
      remaining = 0;
    };
    return {
      get remaining() {
        return remaining;
      },
      run,
      release,
    };
  }

  private refuse(count: number): never {
    this.hooks.onReject?.();
    const wait = this.retryAfterSeconds();
    throw new AppError(
      "service_unavailable",
      `The analysis queue is full (${this.reserved} of ${this.capacity} places taken${count > 1 ? `, ${count} needed` : ""}); retry in ${wait} s.`,
      { retryAfterSeconds: wait, subcode: "queue_full" },
    );
  }

  private async acquire(): Promise<void> {
    const queuedAt = performance.now();
    if (this.running < this.concurrency && this.waiters.length === 0) {
      this.running += 1;
    } else {
      // A finishing job hands its slot straight to the first waiter (running stays counted).
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.hooks.onWait?.((performance.now() - queuedAt) / 1000);
  }

  private finish(jobMs: number): void {
    this.avgJobMs = this.avgJobMs * 0.8 + jobMs * 0.2;
    this.reserved -= 1;
    const next = this.waiters.shift();
    if (next) next();
    else this.running -= 1;
  }
}
