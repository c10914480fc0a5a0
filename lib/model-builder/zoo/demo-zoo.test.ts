import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anatomyFromLogits } from "@/lib/anatomy/masks";
import { loadModel } from "@/lib/inference/engine";
import { loadZooModel } from "@/lib/inference/zoo-engine";
import { syntheticChestImages } from "../densenet/random-weights";
import { buildZooDemo } from "./demo-zoo";

// The untrained demos of the release zoo build offline, say they are untrained, and give finite,
// image-dependent outputs through the same engine as a converted checkpoint.

const quiet = { info: () => {}, warn: () => {} };
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** A synthetic chest-like film at `size` (the DenseNet demo's calibration images). */
const film = (seed: number, size: number) => syntheticChestImages(seed, 1, size);

describe("release zoo demo models", () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "cxr-zoo-demo-"));
  });
  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("ResNet-50 classifier: untrained, 18 findings and a 16 x 16 CAM that depend on the image", async () => {
    const m = await buildZooDemo("resnet50", path.join(tmp, "resnet50"));
    expect(m).toMatchObject({ name: "resnet50-res512-all-demo", trained: false, checkpoint: null });
    const model = await loadModel(path.join(tmp, "resnet50"), { log: quiet });
    try {
      const [a, b] = await model.run([film(1, 512), film(2, 512)]);
      expect(a.logits).toHaveLength(18);
      expect(a.cam).toHaveLength(18 * 16 * 16);
      expect([...a.logits, ...a.cam].every(Number.isFinite)).toBe(true);
      expect(Math.max(...a.logits.map((v, i) => Math.abs(v - b.logits[i])))).toBeGreaterThan(1e-4);
    } finally {
      await model.close();
    }
  });

  it("view model: untrained, two finite logits that depend on the image", async () => {
    const m = await buildZooDemo("view", path.join(tmp, "view"));
    expect(m).toMatchObject({ name: "xinario-view-demo", trained: false, task: "view", labels: ["Frontal", "Lateral"] });
    const model = await loadZooModel(path.join(tmp, "view"), { task: "view", log: quiet });
    try {
      const a = await model.run(film(1, 224));
      const b = await model.run(film(2, 224));
      expect(a).toHaveLength(2);
      expect([...a, ...b].every(Number.isFinite)).toBe(true);
      expect(Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1])).toBeGreaterThan(1e-5);
    } finally {
      await model.close();
    }
  });

  it("PSPNet: untrained, 14 finite maps at 512 with masks and a CTR record", async () => {
    // Through the CLI, in its own process: building 68 M weights is long synchronous work.
    const { stdout } = await promisify(execFile)(
      path.join(repoRoot, "node_modules/.bin/tsx"),
      ["--conditions=react-server", "lib/cli/model-demo.ts", "--kind", "pspnet", "--out", path.join(tmp, "pspnet")],
      { cwd: repoRoot },
    );
    expect(stdout).toMatch(/built UNTRAINED demo model chestx-det-pspnet-demo/);
    const model = await loadZooModel(path.join(tmp, "pspnet"), { task: "anatomy", log: quiet });
    try {
      const logits = await model.run(film(1, 512));
      expect(logits).toHaveLength(14 * 512 * 512);
      expect(logits.every(Number.isFinite)).toBe(true);
      const r = anatomyFromLogits(logits, model.manifest.labels, 512);
      expect(r.maskPixels).toHaveLength(14);
      expect(r.packed).toHaveLength((14 * 512 * 512) / 8);
      expect(r.ctr.ratio === null || r.ctr.ratio > 0).toBe(true);
      expect(model.manifest).toMatchObject({ name: "chestx-det-pspnet-demo", trained: false, task: "anatomy" });
    } finally {
      await model.close();
    }
  }, 600_000);
});
