import { describe, expect, it } from "vitest";
import { AdmissionGate } from "./admission-gate";
import { AppError } from "./errors";

/** A job the test finishes by hand: makes queue states exact, with no timing involved. */
function manualJob() {
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  let started = false;
  return {
    job: async () => {
      started = true;
      await done;
      return "ok";
    },
    finish,
    get started() {
      return started;
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("expected an AppError");
}

describe("AdmissionGate", () => {
  it("runs at most `concurrency` jobs, queues up to `queueSize`, and refuses beyond with 503 + Retry-After", async () => {
    const rejected: number[] = [];
    const gate = new AdmissionGate(1, 2, { onReject: () => rejected.push(1) }, 4_000);
    const a = manualJob();
    const b = manualJob();
    const c = manualJob();
    const ta = gate.admit(1);
    const tb = gate.admit(2); // takes both queue places
    const pa = ta.run(a.job);
    const pb = tb.run(b.job);
    await tick();
    expect(a.started).toBe(true);
    expect(b.started).toBe(false);
    expect(gate.snapshot()).toEqual({ running: 1, waiting: 2, capacity: 3 });

    const full = thrown(() => gate.admit(1));
    expect(full.status).toBe(503);
    expect(full.extra.subcode).toBe("queue_full");
    // 3 reserved, 1 slot: 3 jobs of ~4 s ahead.
    expect(full.extra.retryAfterSeconds).toBe(12);
    expect(rejected).toHaveLength(1);
    expect(thrown(() => gate.assertRoom()).status).toBe(503);

    a.finish();
    expect(await pa).toBe("ok");
    await tick();
    expect(b.started).toBe(true);
    expect(gate.snapshot()).toEqual({ running: 1, waiting: 1, capacity: 3 });

    // tb will not use its second reservation: releasing it frees the place.
    tb.release();
    tb.release();
    expect(gate.snapshot()).toEqual({ running: 1, waiting: 0, capacity: 3 });
    const tc = gate.admit(2);
    const pc = tc.run(c.job);
    b.finish();
    await pb;
    c.finish();
    await pc;
    tc.release();
    expect(gate.snapshot()).toEqual({ running: 0, waiting: 0, capacity: 3 });
  });

  it("admits a multi-file upload whole or not at all", () => {
    const gate = new AdmissionGate(1, 3);
    const first = gate.admit(3);
    const refused = thrown(() => gate.admit(2));
    expect(refused.status).toBe(503);
    expect(gate.snapshot().waiting + gate.snapshot().running).toBe(3);
    first.release();
    expect(gate.admit(4).remaining).toBe(4);
  });

  it("answers 422 for more files than the queue could ever hold", () => {
    const gate = new AdmissionGate(2, 3);
    const e = thrown(() => gate.admit(6));
    expect(e.status).toBe(422);
    expect(e.message).toMatch(/at most 5 files/);
  });

  it("frees the slot when a job throws, and serves waiters first come first served", async () => {
    const gate = new AdmissionGate(1, 5);
    const order: number[] = [];
    const t = gate.admit(4);
    const failing = t.run(async () => {
      throw new Error("bad file");
    });
    const runs = [1, 2, 3].map((n) => t.run(async () => void order.push(n)));
    await expect(failing).rejects.toThrow("bad file");
    await Promise.all(runs);
    expect(order).toEqual([1, 2, 3]);
    expect(gate.snapshot()).toEqual({ running: 0, waiting: 0, capacity: 6 });
    await expect(t.run(async () => 1)).rejects.toThrow(/no reservations left/);
  });
});
