import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calibrate } from "@/lib/inference/calibrate";
import { buildDemoModel, DEMO_MODEL_NAME } from "./demo-model";
import { syntheticChestImages } from "./densenet/random-weights";
import { loadModel } from "@/lib/inference/engine";
import type { ModelManifest } from "@/lib/inference/manifest";

// The offline demo model: DenseNet-121 with seeded random weights. It must be reproducible, say it is
// untrained, and give usable (finite, varied, unsaturated) outputs.

describe("buildDemoModel", () => {
  let tmp: string;
  let first: ModelManifest;
  let second: ModelManifest;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "cxr-demo-"));
    first = await buildDemoModel(path.join(tmp, "a"));
    second = await buildDemoModel(path.join(tmp, "b"));
  });
  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("is deterministic and marked untrained", () => {
    expect(first.onnx.sha256).toBe(second.onnx.sha256);
    expect(first).toMatchObject({ name: DEMO_MODEL_NAME, trained: false, checkpoint: null });
    expect(first.seed).toBeTypeOf("number");
    expect(first.architecture.blocks).toEqual([6, 12, 24, 16]);
    expect(first.labels).toHaveLength(18);
  });

  it("gives finite, image-dependent, unsaturated outputs", async () => {
    const model = await loadModel(path.join(tmp, "a"), { log: { info: () => {}, warn: () => {} } });
    try {
      const n = 6;
      const images = syntheticChestImages(999, n); // other images than the ones used for calibration
      const inputs = Array.from({ length: n }, (_, i) => images.subarray(i * 224 * 224, (i + 1) * 224 * 224));
      const outs = await model.run(inputs);
      const calibrated = outs.map((o) => calibrate(o.logits, model.manifest).map((f) => f.calibrated));
      const flat = calibrated.flat();
      expect(outs.every((o) => o.logits.every(Number.isFinite) && o.cam.every(Number.isFinite))).toBe(true);
      const unsaturated = flat.filter((c) => c > 0.001 && c < 0.999).length / flat.length;
      expect(unsaturated).toBeGreaterThan(0.8);
      for (let c = 0; c < 18; c++) {
        const values = calibrated.map((row) => row[c]);
        expect(Math.max(...values) - Math.min(...values), `output ${c} varies across images`).toBeGreaterThan(1e-3);
      }
    } finally {
      await model.close();
    }
  });
});
