import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixturePath, fixturesPresent, readFixture, readTensor, SKIP_NOTE } from "@/test/support/imaging/fixtures";
import { loadModel, type LoadedModel } from "@/lib/inference/engine";
import { readManifest } from "@/lib/inference/model-dir";
import { convertCheckpoint } from "../convert";
import { decodeModel, floatData } from "./onnx-model";
import { quantizeModel, type QuantizeResult } from "./quantize-model";

// The fixture checkpoint, converted and quantized: onnxruntime loads the QDQ graph, the manifest says
// int8 with its calibration set, the weights are stored as int8, and the heatmaps come from the same
// quantized run as the scores (mean(cam) + bias == logits, as for the float model).

const quiet = { info: () => {}, warn: () => {} };

describe.skipIf(!fixturesPresent)("int8 quantization of the converted model", () => {
  if (!fixturesPresent) it.skip(SKIP_NOTE, () => {});

  let tmp: string;
  let result: QuantizeResult;
  let model: LoadedModel;
  let tensors: Float32Array[];

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "cxr-int8-"));
    await convertCheckpoint({ checkpoint: fixturePath("xrv", "models", "densenet121-xrv-seed1-state.pt"), outDir: path.join(tmp, "fp32"), trained: false });
    const ref = JSON.parse(readFixture("xrv", "reference.json").toString("utf8")) as { images: { tensor: string }[] };
    tensors = ref.images.slice(0, 3).map((im) => readTensor("xrv", im.tensor));
    result = await quantizeModel({ modelDir: path.join(tmp, "fp32"), outDir: path.join(tmp, "int8"), calibration: tensors.slice(0, 2), calibrationSet: "two fixture films", agreementLimit: null });
    model = await loadModel(path.join(tmp, "int8"), { intraOpThreads: 1, log: quiet });
  }, 240_000);

  afterAll(async () => {
    await model?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("records precision, calibration set and source in the manifest", async () => {
    const m = await readManifest(path.join(tmp, "int8"));
    const source = await readManifest(path.join(tmp, "fp32"));
    expect(m.precision).toBe("int8");
    expect(source.precision).toBe("fp32");
    expect(m.quantization).toMatchObject({
      precision: "int8",
      calibrationSet: "two fixture films",
      calibrationFilms: 2,
      source: { sha256: source.onnx.sha256 },
      convolutions: { int8: 162, float32: 2 },
      agreement: null,
    });
    expect(m.labels).toEqual(source.labels);
    expect(m.op_threshs).toEqual(source.op_threshs);
    expect(m.onnx.sha256).not.toBe(source.onnx.sha256);
  });

  it("stores every convolution but the first and the head as int8 behind DequantizeLinear", async () => {
    const g = decodeModel(await readFile(path.join(tmp, "int8", "model.onnx"))).graph;
    const inits = new Map(g.initializer.map((t) => [t.name, t]));
    const convs = g.node.filter((n) => n.opType === "Conv");
    const floatWeights = convs.filter((c) => inits.has(c.input[1])).map((c) => c.name);
    expect(floatWeights.sort()).toEqual(["cam_node", "features.conv0_node"]);
    expect(result.summary.convs).toBe(convs.length - 2);
    const producer = new Map(g.node.flatMap((n) => n.output.map((o) => [o, n] as const)));
    for (const c of convs.filter((x) => !floatWeights.includes(x.name))) {
      const dq = producer.get(c.input[1])!;
      expect(dq.opType).toBe("DequantizeLinear");
      expect(inits.get(dq.input[0])!.dataType).toBe(3); // int8
      expect(producer.get(c.input[0])!.opType).toBe("DequantizeLinear"); // quantized input
      const readers = g.node.filter((n) => n.input.includes(c.output[0]));
      expect(readers.map((r) => r.opType)).toEqual(["QuantizeLinear"]); // quantized output
    }
  });

  it("runs in onnxruntime; heatmaps and scores come from the same quantized run", async () => {
    const m = model.manifest;
    const bias = floatData(decodeModel(await readFile(path.join(tmp, "int8", "model.onnx"))).graph.initializer.find((t) => t.name === "classifier.bias")!);
    const [out] = await model.run([tensors[2]]);
    const cells = m.outputs.cam.shape[2] * m.outputs.cam.shape[3];
    for (let c = 0; c < m.architecture.numClasses; c++) {
      let sum = 0;
      for (let k = 0; k < cells; k++) sum += out.cam[c * cells + k];
      expect(sum / cells + bias[c]).toBeCloseTo(out.logits[c], 3);
      expect(Number.isFinite(out.logits[c])).toBe(true);
    }
  });

  it("refuses to quantize an int8 model again", async () => {
    await expect(quantizeModel({ modelDir: path.join(tmp, "int8"), outDir: path.join(tmp, "again"), calibration: tensors, calibrationSet: "x" })).rejects.toThrow(/already int8/);
  });
});
