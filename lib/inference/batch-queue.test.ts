import { describe, expect, it } from "vitest";
import { BatchQueue } from "./batch-queue";

// The queue alone, with a deterministic batch function (doubling numbers, recording batch sizes).
// The real session behind it is exercised in engine.test.ts.

function doubling(delayMs = 5) {
  const sizes: number[] = [];
  const queue = new BatchQueue<number, number>(async (items) => {
    sizes.push(items.length);
    await new Promise((r) => setTimeout(r, delayMs));
    return items.map((x) => x * 2);
  }, 4);
  return { queue, sizes };
}

describe("BatchQueue", () => {
  it("runs a lone item at once, as a batch of one", async () => {
    const { queue, sizes } = doubling();
    await expect(queue.push(21)).resolves.toBe(42);
    expect(sizes).toEqual([1]);
  });

  it("batches items pushed in the same tick and while a batch runs, up to the maximum", async () => {
    const { queue, sizes } = doubling();
    const first = Promise.all([1, 2, 3, 4, 5, 6].map((x) => queue.push(x)));
    const later = new Promise((r) => setTimeout(r, 1)).then(() => Promise.all([7, 8].map((x) => queue.push(x))));
    expect(await first).toEqual([2, 4, 6, 8, 10, 12]);
    expect(await later).toEqual([14, 16]);
    expect(sizes[0]).toBe(4);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(8);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
    expect(queue.stats).toMatchObject({ items: 8, largestBatch: 4 });
  });

  it("fails only the batch whose run failed", async () => {
    let call = 0;
    const queue = new BatchQueue<number, number>(async (items) => {
      if (call++ === 0) throw new Error("boom");
      return items;
    }, 2);
    const results = await Promise.allSettled([1, 2, 3].map((x) => queue.push(x)));
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "fulfilled"]);
  });

  it("close rejects waiting items, lets the running batch finish, then refuses new ones", async () => {
    const { queue } = doubling(20);
    const running = queue.push(1);
    await new Promise((r) => setTimeout(r, 1));
    const waiting = expect(queue.push(2)).rejects.toThrow("closed");
    queue.close(new Error("closed"));
    await expect(running).resolves.toBe(2);
    await waiting;
    await expect(queue.push(3)).rejects.toThrow("closed");
    await queue.whenIdle();
  });
});
