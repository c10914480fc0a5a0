import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDemoModel } from "@/lib/model-builder/demo-model";
import type { DenseNetConfig } from "@/lib/model-builder/densenet/weights";
import { loadModel, type LoadedModel } from "./engine";
import { ModelError } from "./errors";
import { closeAllModels, getModel, modelStatus } from "./registry";

// The engine on real onnxruntime with a small seeded DenseNet (same builder, two short blocks) so the
// tests stay quick; the full DenseNet-121 runs in parity.test.ts and demo-model.test.ts.

const SMALL: DenseNetConfig = { inChannels: 1, initFeatures: 16, growthRate: 8, bottleneck: 16, blocks: [2, 2], numFeatures: 32, numClasses: 18 };
const quiet = { info: () => {}, warn: () => {} };
const PIXELS = 224 * 224;

function randomInput(seed: number): Float32Array {
  const x = new Float32Array(PIXELS);
  let s = seed;
  for (let i = 0; i < PIXELS; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    x[i] = (s / 2 ** 32) * 2048 - 1024;
  }
  return x;
}

describe("loadModel / run", () => {
  let tmp: string;
  let dir: string;
  let model: LoadedModel;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "cxr-engine-"));
    dir = path.join(tmp, "small");
    await buildDemoModel(dir, 7, SMALL);
    model = await loadModel(dir, { log: quiet });
  });
  afterAll(async () => {
    await model?.close();
    await closeAllModels();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("loads the manifest and reports the provider", () => {
    expect(model.manifest.trained).toBe(false);
    expect(model.manifest.outputs.cam.shape).toEqual(["N", 18, 28, 28]);
    expect(model.provider).toBe("cpu");
    expect(model.fallbackReason).toBeNull();
  });

  it("serves concurrent single-image callers in shared batches with the same results as alone", async () => {
    const inputs = Array.from({ length: 12 }, (_, i) => randomInput(i + 1));
    const alone: Float32Array[] = [];
    for (const x of inputs) alone.push((await model.run([x]))[0].logits);
    const before = model.stats();
    const together = await Promise.all(inputs.map((x) => model.run([x]).then((r) => r[0])));
    const after = model.stats();
    expect(after.items - before.items).toBe(12);
    expect(after.batches - before.batches).toBeLessThan(12);
    expect(after.largestBatch).toBeLessThanOrEqual(8);
    together.forEach((r, i) => {
      expect(r.logits).toHaveLength(18);
      expect(r.cam).toHaveLength(18 * 28 * 28);
      r.logits.forEach((v, k) => expect(Math.abs(v - alone[i][k])).toBeLessThan(1e-4));
    });
    // Different images give different outputs: results are not crossed between callers.
    expect(together[0].logits[0]).not.toBeCloseTo(together[1].logits[0], 6);
  });

  it("rejects inputs of the wrong size or with non-finite values", async () => {
    await expect(model.run([new Float32Array(10)])).rejects.toMatchObject({ code: "MODEL_INPUT_INVALID" });
    const nan = randomInput(3);
    nan[100] = Number.NaN;
    await expect(model.run([nan])).rejects.toMatchObject({ code: "MODEL_INPUT_INVALID" });
  });

  it("falls back to CPU with a reason when CUDA is requested but not available", async () => {
    const cudaBundled = ort.listSupportedBackends().some((b) => b.name === "cuda" && b.bundled);
    const warnings: string[] = [];
    const m = await loadModel(dir, { executionProvider: "cuda", log: { info: () => {}, warn: (o) => warnings.push(JSON.stringify(o)) } });
    try {
      if (!cudaBundled) {
        expect(m.provider).toBe("cpu");
        expect(m.fallbackReason).toMatch(/CUDA|cuda/);
        expect(warnings.join()).toMatch(/reason/);
      }
      expect((await m.run([randomInput(1)]))[0].logits).toHaveLength(18);
    } finally {
      await m.close();
    }
  });

  it("runs with one thread and spinning disabled to the same results", async () => {
    const m = await loadModel(dir, { intraOpThreads: 1, allowSpinning: false, log: quiet });
    try {
      const x = randomInput(9);
      const [a] = await m.run([x]);
      const [b] = await model.run([x]);
      a.logits.forEach((v, i) => expect(Math.abs(v - b.logits[i])).toBeLessThan(1e-4));
    } finally {
      await m.close();
    }
  });

  it("refuses work after close", async () => {
    const m = await loadModel(dir, { log: quiet });
    await m.close();
    await expect(m.run([randomInput(1)])).rejects.toMatchObject({ code: "MODEL_CLOSED" });
  });

  it("getModel shares one loaded model per directory", async () => {
    const a = getModel(dir);
    const b = getModel(path.join(dir, "."));
    expect(a).toBe(b);
    const m = await a;
    expect(modelStatus(dir)).toMatchObject({ state: "ready", trained: false, provider: "cpu" });
    expect((await m.run([randomInput(5)]))[0].logits).toHaveLength(18);
  });

  it("reports a missing model and a broken manifest with typed errors", async () => {
    await expect(loadModel(path.join(tmp, "nowhere"), { log: quiet })).rejects.toMatchObject({ code: "MODEL_NOT_FOUND" });
    await expect(getModel(path.join(tmp, "nowhere"))).rejects.toMatchObject({ code: "MODEL_NOT_FOUND" });
    expect(modelStatus(path.join(tmp, "nowhere"))).toMatchObject({ state: "failed", error: expect.stringMatching(/model:demo/) });
    const broken = path.join(tmp, "broken");
    await mkdir(broken, { recursive: true });
    await writeFile(path.join(broken, "model.json"), JSON.stringify({ name: "x" }));
    const err = await loadModel(broken, { log: quiet }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).code).toBe("MODEL_MANIFEST_INVALID");
  });
});
