import { describe, expect, it } from "vitest";
import { ConcurrencyGate } from "./concurrency-gate";

describe("ConcurrencyGate", () => {
  it("lets `limit` callers in at once and the rest in arrival order, also after a failure", async () => {
    const gate = new ConcurrencyGate(2);
    const releases: (() => void)[] = [];
    const order: number[] = [];
    let inside = 0;
    let most = 0;
    const calls = Array.from({ length: 5 }, (_, i) =>
      gate.run(async () => {
        inside++;
        most = Math.max(most, inside);
        order.push(i);
        await new Promise<void>((r) => releases.push(r));
        inside--;
        if (i === 1) throw new Error("boom");
        return i;
      }),
    );
    const settled = Promise.allSettled(calls);
    await new Promise((r) => setTimeout(r, 0));
    expect(order).toEqual([0, 1]);
    expect(gate.queued).toBe(3);
    for (let k = 0; k < 5; k++) {
      releases.shift()!();
      await new Promise((r) => setTimeout(r, 0));
    }
    const results = await settled;
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled"]);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
    expect(gate.queued).toBe(0);
  });
});
