import { describe, expect, it } from "vitest";
import { sessionOptions } from "./session";

describe("sessionOptions", () => {
  it("sets threads, optimisation level, arena and spinning from the configuration", () => {
    const o = sessionOptions({ executionProvider: "cpu", intraOpThreads: 2, interOpThreads: 1, allowSpinning: false }, "cpu");
    expect(o).toMatchObject({
      executionProviders: ["cpu"],
      intraOpNumThreads: 2,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
      enableCpuMemArena: true,
      enableMemPattern: true,
    });
    expect(o.extra).toEqual({ session: { intra_op: { allow_spinning: "0" } } });
    const spinning = sessionOptions({ executionProvider: "cuda", intraOpThreads: 4, interOpThreads: 2, allowSpinning: true }, "cuda");
    expect(spinning).toMatchObject({ executionProviders: ["cuda"], executionMode: "parallel", extra: { session: { intra_op: { allow_spinning: "1" } } } });
  });
});
