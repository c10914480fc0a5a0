import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeImage, preprocessForModel } from "@/lib/imaging";
import { fixturePath, fixturesPresent, readFixture, readTensor, SKIP_NOTE } from "@/test/support/imaging/fixtures";
import { calibrate } from "@/lib/inference/calibrate";
import { convertCheckpoint, type ConvertResult } from "./convert";
import { loadModel, type LoadedModel } from "@/lib/inference/engine";
import { sha256Hex } from "@/lib/model-builder/model-dir-writer";
import { ModelProto } from "./onnx/onnx-schema";

// Acceptance of the converter and graph: both fixture checkpoint forms convert, and the converted model
// computes TorchXRayVision's function (reference made with PyTorch 1.13) on the fixture tensors and,
// through the project's own decoding and preprocessing, on the fixture image files.

interface RefImage {
  file: string;
  tensor: string;
  logits: number[];
  calibrated: number[];
  cam: number[];
}
interface Reference {
  labels: string[];
  op_threshs: number[];
  images: RefImage[];
}

const quiet = { info: () => {}, warn: () => {} };

describe.skipIf(!fixturesPresent)("parity with the TorchXRayVision reference", () => {
  if (!fixturesPresent) it.skip(SKIP_NOTE, () => {});

  let tmp: string;
  let ref: Reference;
  const converted: Record<"legacy" | "state", ConvertResult> = {} as never;
  let model: LoadedModel;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "cxr-parity-"));
    ref = JSON.parse(readFixture("xrv", "reference.json").toString("utf8"));
    for (const form of ["legacy", "state"] as const) {
      converted[form] = await convertCheckpoint({
        checkpoint: fixturePath("xrv", "models", `densenet121-xrv-seed1-${form}.pt`),
        outDir: path.join(tmp, form),
        name: "densenet121-res224-all",
        trained: false,
      });
    }
    model = await loadModel(path.join(tmp, "state"), { log: quiet });
  });

  afterAll(async () => {
    await model?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("converts both checkpoint forms, with manifests that describe them", async () => {
    const { legacy, state } = converted;
    expect(legacy.manifest.checkpoint).toMatchObject({ format: "legacy", kind: "module" });
    expect(state.manifest.checkpoint).toMatchObject({ format: "zip", kind: "state_dict" });
    expect(legacy.manifest.checkpoint?.sha256).toBe(sha256Hex(readFixture("xrv", "models", "densenet121-xrv-seed1-legacy.pt")));
    for (const { manifest } of [legacy, state]) {
      expect(manifest.trained).toBe(false);
      expect(manifest.labels).toEqual(ref.labels);
      expect(manifest.op_threshs).toEqual(ref.op_threshs);
      expect(manifest.architecture.blocks).toEqual([6, 12, 24, 16]);
      expect(manifest.outputs.cam.shape).toEqual(["N", 18, 7, 7]);
    }
    // Same weights in two file formats must give byte-identical graphs.
    expect(legacy.manifest.onnx.sha256).toBe(state.manifest.onnx.sha256);
  });

  it("folds every BatchNorm that follows a convolution and splits conv1 instead of re-concatenating", async () => {
    const decoded = ModelProto.toObject(ModelProto.decode(await readFile(converted.state.onnxPath))) as {
      graph: { node: { opType: string; input: string[]; output: string[] }[]; input: { name: string }[]; output: { name: string }[] };
    };
    const nodes = decoded.graph.node;
    const producer = new Map(nodes.flatMap((n) => n.output.map((o) => [o, n.opType] as const)));
    const consumers = (value: string) => nodes.filter((n) => n.input.includes(value)).length;
    const batchNorms = nodes.filter((n) => n.opType === "BatchNormalization");
    // norm0 and every norm2 are folded: no BatchNormalization is the only reader of a convolution.
    expect(batchNorms.filter((n) => producer.get(n.input[0]) === "Conv" && consumers(n.input[0]) === 1)).toEqual([]);
    // 15 dense layers read one input (norm1 once), 43 read base + recent (norm1 in two slices),
    // plus 3 transition norms and norm5.
    expect(batchNorms).toHaveLength(15 + 43 * 2 + 3 + 1);
    expect(nodes.filter((n) => n.opType === "Add")).toHaveLength(43);
    expect(nodes.filter((n) => n.opType === "Conv")).toHaveLength(1 + 15 * 2 + 43 * 3 + 3 + 1);
    expect(nodes.slice(0, 3).map((n) => n.opType)).toEqual(["Conv", "Relu", "MaxPool"]);
    expect(decoded.graph.input.map((i) => i.name)).toEqual(["image"]);
    expect(decoded.graph.output.map((o) => o.name)).toEqual(["logits", "cam"]);
  });

  it("matches reference logits (1e-3), calibrated scores (1e-4) and CAMs (1e-3 of max |cam|) on the fixture tensors", async () => {
    const outputs = await model.run(ref.images.map((im) => readTensor("xrv", im.tensor)));
    // Ten concurrent inputs share batches of up to eight.
    expect(model.stats().largestBatch).toBeGreaterThan(1);
    ref.images.forEach((im, k) => {
      const { logits, cam } = outputs[k];
      const findings = calibrate(logits, model.manifest);
      for (let i = 0; i < 18; i++) {
        expect(Math.abs(logits[i] - im.logits[i]), `${im.file} logit ${i}`).toBeLessThan(1e-3);
        expect(Math.abs(findings[i].calibrated - im.calibrated[i]), `${im.file} calibrated ${i}`).toBeLessThan(1e-4);
      }
      expect(cam.length).toBe(im.cam.length);
      const scale = Math.max(...im.cam.map(Math.abs));
      let worst = 0;
      for (let i = 0; i < cam.length; i++) worst = Math.max(worst, Math.abs(cam[i] - im.cam[i]));
      expect(worst / scale, `${im.file} cam`).toBeLessThan(1e-3);
    });
  });

  it("runs the legacy-converted model to the same logits", async () => {
    const legacyModel = await loadModel(path.join(tmp, "legacy"), { log: quiet });
    try {
      const [out] = await legacyModel.run([readTensor("xrv", ref.images[0].tensor)]);
      out.logits.forEach((v, i) => expect(Math.abs(v - ref.images[0].logits[i])).toBeLessThan(1e-3));
    } finally {
      await legacyModel.close();
    }
  });

  it("matches reference logits within 1e-3 from the image files through lib/imaging", async () => {
    for (const im of ref.images) {
      const decoded = await decodeImage(readFixture("xrv", "images", im.file), { fileName: im.file, qualityGates: "warn" });
      const [out] = await model.run([preprocessForModel(decoded)]);
      let worst = 0;
      for (let i = 0; i < 18; i++) worst = Math.max(worst, Math.abs(out.logits[i] - im.logits[i]));
      expect(worst, `${im.file}: max logit difference`).toBeLessThan(1e-3);
    }
  });
});
