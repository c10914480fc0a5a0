import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDemoModel } from "@/lib/model-builder/demo-model";
import { ModelError } from "./errors";
import { ONNX_FILE } from "./manifest";
import { createSession, sessionOptions, type ModelSession } from "./session";

const quiet = { info: () => {}, warn: () => {} };
const cpu = { executionProvider: "cpu" as const, intraOpThreads: 2, interOpThreads: 1, allowSpinning: false };

describe("sessionOptions", () => {
  it("sets threads, optimisation level, arena and spinning from the configuration", () => {
    const o = sessionOptions(cpu, "cpu");
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

// The full-size demo DenseNet-121, so that one batch takes long enough to matter.
describe("the session thread", () => {
  let tmp: string;
  let onnx: string;
  let session: ModelSession;
  const batch = (n: number) => new Float32Array(n * 224 * 224).fill(100);

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "cxr-session-"));
    await buildDemoModel(tmp, 3);
    onnx = path.join(tmp, ONNX_FILE);
    ({ session } = await createSession(onnx, cpu, quiet));
  });
  afterAll(async () => {
    await session?.release();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("leaves the event loop free while a batch runs", async () => {
    let ticks = 0;
    let done = false;
    const spin = () => {
      ticks++;
      if (!done) setImmediate(spin);
    };
    setImmediate(spin);
    const out = await session.run(batch(8), [8, 1, 224, 224]);
    done = true;
    expect(out.logits).toHaveLength(8 * 18);
    expect(out.cam).toHaveLength(8 * 18 * 7 * 7);
    // Run on the main thread, the whole batch is one blocking call and the loop turns once or twice.
    expect(ticks).toBeGreaterThan(20);
  });

  it("reports a failed run as MODEL_RUNTIME and keeps serving", async () => {
    const err = await session.run(batch(1), [1, 1, 100, 100]).catch((e) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect(err.code).toBe("MODEL_RUNTIME");
    expect((await session.run(batch(1), [1, 1, 224, 224])).logits).toHaveLength(18);
  });

  it("fails the runs in flight when its thread dies, then starts a fresh thread", async () => {
    const expected = (await session.run(batch(2), [2, 1, 224, 224])).logits;
    const inFlight = session.run(batch(8), [8, 1, 224, 224]);
    // Fault injection: stop the thread from outside, as a native crash would.
    await (session as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    const err = await inFlight.catch((e) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect(err.code).toBe("MODEL_RUNTIME");
    const again = (await session.run(batch(2), [2, 1, 224, 224])).logits;
    expect(Array.from(again)).toEqual(Array.from(expected));
  });

  it("refuses to run after release", async () => {
    const { session: s } = await createSession(onnx, cpu, quiet);
    await s.release();
    await expect(s.run(batch(1), [1, 1, 224, 224])).rejects.toMatchObject({ code: "MODEL_CLOSED" });
  });

  it("explains a file onnxruntime cannot load", async () => {
    await expect(createSession(path.join(tmp, "model.json"), cpu, quiet)).rejects.toThrow(/protobuf|parse|load|model/i);
  });
});
