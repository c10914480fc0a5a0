import { describe, expect, it } from "vitest";
import { fixturesPresent, readFixture, SKIP_NOTE } from "@/test/support/imaging/fixtures";
import { densenetFromTensors } from "../densenet/weights";
import { CheckpointError, ModelError } from "@/lib/inference/errors";
import { f32bytes, G, legacyCheckpoint, NewObj, ODict, PersId, pickle, Reduce, tensorRef, Tuple, zipCheckpoint } from "@/test/support/model-builder/pickle-writer";
import { readCheckpoint } from "./read-checkpoint";

// Checkpoints are built inside the tests (both file formats, module and state_dict forms), then damaged
// on purpose: every failure must be a CheckpointError with a specific code, never a crash or a hang.

const W = [1, 2, 3, 4, 5, 6]; // a 2x3 weight
const B = [0.5, -0.5];

function stateDictZip(prefix = "archive") {
  const root = new ODict([
    ["fc.weight", tensorRef({ storageKey: "0", shape: [2, 3] }, 6)],
    ["fc.bias", tensorRef({ storageKey: "1", shape: [2] }, 2)],
    // A transposed view of storage 0: shape [3, 2], strides [1, 3].
    ["fc.weight_t", tensorRef({ storageKey: "0", shape: [3, 2], stride: [1, 3] }, 6)],
    ["bn.num_batches_tracked", tensorRef({ storageKey: "2", storageType: "LongStorage", shape: [] }, 1)],
  ]);
  const long = new Uint8Array(new BigInt64Array([42n]).buffer);
  return zipCheckpoint(root, { "0": f32bytes(W), "1": f32bytes(B), "2": long }, prefix);
}

function moduleLegacy() {
  const linear = new NewObj(
    new PersId(new Tuple(["module", new G("torch.nn.modules.linear", "Linear"), "source.py", "class Linear: ..."])),
    [],
    new Map<string, unknown>([
      ["training", false],
      ["_parameters", new ODict([["weight", tensorRef({ storageKey: "10", shape: [2, 3] }, 6, true)], ["bias", tensorRef({ storageKey: "11", shape: [2] }, 2, true)]])],
      ["_buffers", new ODict([])],
      ["_modules", new ODict([])],
      ["in_features", 3],
    ]),
  );
  const root = new NewObj(
    new G("torchxrayvision.models", "DenseNet"),
    [],
    new Map<string, unknown>([
      ["_parameters", new ODict([])],
      ["_buffers", new ODict([["op_threshs", null]])],
      ["_modules", new ODict([["fc", linear]])],
    ]),
  );
  return legacyCheckpoint(root, [
    { key: "10", bytes: f32bytes(W), elementSize: 4 },
    { key: "11", bytes: f32bytes(B), elementSize: 4 },
  ]);
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof CheckpointError || err instanceof ModelError) return err.code;
    throw err;
  }
  return "no error";
}

describe("readCheckpoint: well-formed files built in the test", () => {
  it("reads a zip state_dict with strided views and int64 buffers", () => {
    const c = readCheckpoint(stateDictZip());
    expect(c.format).toBe("zip");
    expect(c.kind).toBe("state_dict");
    expect(Array.from(c.tensors.get("fc.weight")!.data)).toEqual(W);
    expect(c.tensors.get("fc.weight")!.shape).toEqual([2, 3]);
    expect(Array.from(c.tensors.get("fc.bias")!.data)).toEqual(B);
    expect(Array.from(c.tensors.get("fc.weight_t")!.data)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(c.tensors.get("bn.num_batches_tracked")!.dtype).toBe("int64");
    expect(Array.from(c.tensors.get("bn.num_batches_tracked")!.data)).toEqual([42]);
  });

  it("finds data.pkl under any archive folder name", () => {
    expect(readCheckpoint(stateDictZip("my-model-name")).tensors.size).toBe(4);
  });

  it("reads a legacy whole-module pickle, with module-source persistent ids and a None buffer", () => {
    const c = readCheckpoint(moduleLegacy());
    expect(c.format).toBe("legacy");
    expect(c.kind).toBe("module");
    expect(c.rootClass).toBe("torchxrayvision.models.DenseNet");
    expect(Array.from(c.tensors.get("fc.weight")!.data)).toEqual(W);
    expect(c.skipped).toContain("op_threshs");
    expect(c.modules.get("fc")?.type).toBe("torch.nn.modules.linear.Linear");
    expect(c.modules.get("fc")?.attrs.in_features).toBe(3);
  });

  it("unwraps {'state_dict': ...} and strips DataParallel's module. prefix", () => {
    const inner = new ODict([["module.fc.bias", tensorRef({ storageKey: "0", shape: [2] }, 2)]]);
    const bytes = zipCheckpoint(new Map<string, unknown>([["epoch", 3], ["state_dict", inner]]), { "0": f32bytes(B) });
    const c = readCheckpoint(bytes);
    expect([...c.tensors.keys()]).toEqual(["fc.bias"]);
  });

  it("reads storages saved from a GPU (torch.cuda.FloatStorage) on the CPU", () => {
    const pid = new Tuple(["storage", new G("torch.cuda", "FloatStorage"), "0", "cuda:0", 2]);
    const t = new Reduce(new G("torch._utils", "_rebuild_tensor_v2"), [new PersId(pid), 0, new Tuple([2]), new Tuple([1]), false, new ODict([])]);
    const c = readCheckpoint(zipCheckpoint(new ODict([["b", t]]), { "0": f32bytes(B) }));
    expect(Array.from(c.tensors.get("b")!.data)).toEqual(B);
  });

  it("converts float16 storages to float32", () => {
    const half = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3555]).buffer); // 1, -2, ~0.3333
    const bytes = zipCheckpoint(new ODict([["h", tensorRef({ storageKey: "0", storageType: "HalfStorage", shape: [3] }, 3)]]), { "0": half });
    const d = readCheckpoint(bytes).tensors.get("h")!.data;
    expect(d[0]).toBe(1);
    expect(d[1]).toBe(-2);
    expect(d[2]).toBeCloseTo(1 / 3, 3);
  });
});

describe("readCheckpoint: damaged or foreign files give typed errors", () => {
  it("empty and tiny files", () => {
    expect(codeOf(() => readCheckpoint(new Uint8Array(0)))).toBe("CHECKPOINT_TRUNCATED");
    expect(codeOf(() => readCheckpoint(Uint8Array.from([0x50, 0x4b])))).toBe("CHECKPOINT_TRUNCATED");
  });

  it("wrong magic: text, a PNG, a plain pickle without PyTorch's magic number", () => {
    expect(codeOf(() => readCheckpoint(new TextEncoder().encode("hello, this is not a model")))).toBe("CHECKPOINT_NOT_PYTORCH");
    expect(codeOf(() => readCheckpoint(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])))).toBe("CHECKPOINT_NOT_PYTORCH");
    expect(codeOf(() => readCheckpoint(pickle(new Map([["a", 1]]))))).toBe("CHECKPOINT_NOT_PYTORCH");
  });

  it("a zip truncated at any point", () => {
    const full = stateDictZip();
    for (const frac of [0.1, 0.3, 0.5, 0.7, 0.9, 0.99]) {
      const cut = full.subarray(0, Math.floor(full.length * frac));
      expect(["CHECKPOINT_BAD_ZIP", "CHECKPOINT_TRUNCATED"]).toContain(codeOf(() => readCheckpoint(cut)));
    }
  });

  it("a zip with a corrupted central directory or local header", () => {
    const bytes = stateDictZip();
    const cd = Buffer.from(bytes).lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const badCd = bytes.slice();
    badCd[cd + 2] = 0x09;
    expect(codeOf(() => readCheckpoint(badCd))).toBe("CHECKPOINT_BAD_ZIP");
    const badLocal = bytes.slice();
    // The local header of storage "0" sits 30 bytes before the first occurrence of its name.
    const header = Buffer.from(bytes).indexOf(Buffer.from("archive/data/0")) - 30;
    badLocal[header + 3] = 0x07;
    expect(codeOf(() => readCheckpoint(badLocal))).toBe("CHECKPOINT_BAD_ZIP");
  });

  it("a zip without data.pkl, or without a storage it references", () => {
    const noPkl = zipCheckpoint(new ODict([]), {});
    const renamed = Buffer.from(noPkl).toString("latin1").replaceAll("data.pkl", "data.xyz");
    expect(codeOf(() => readCheckpoint(Buffer.from(renamed, "latin1")))).toBe("CHECKPOINT_UNEXPECTED_STRUCTURE");
    const missing = zipCheckpoint(new ODict([["w", tensorRef({ storageKey: "7", shape: [2] }, 2)]]), {});
    expect(codeOf(() => readCheckpoint(missing))).toBe("CHECKPOINT_UNEXPECTED_STRUCTURE");
  });

  it("unexpected structure: no tensors at all, or a tensor larger than its storage", () => {
    expect(codeOf(() => readCheckpoint(zipCheckpoint([1, 2, 3], {})))).toBe("CHECKPOINT_UNEXPECTED_STRUCTURE");
    expect(codeOf(() => readCheckpoint(zipCheckpoint(new Map([["x", "y"]]), {})))).toBe("CHECKPOINT_UNEXPECTED_STRUCTURE");
    const tooBig = zipCheckpoint(new ODict([["w", tensorRef({ storageKey: "0", shape: [4, 3] }, 12)]]), { "0": f32bytes(W) });
    expect(codeOf(() => readCheckpoint(tooBig))).toBe("CHECKPOINT_TRUNCATED");
  });

  it("a legacy file truncated inside the pickles or the storages", () => {
    const full = moduleLegacy();
    for (const cut of [20, 200, full.length - 30, full.length - 1]) {
      expect(codeOf(() => readCheckpoint(full.subarray(0, cut)))).toBe("CHECKPOINT_TRUNCATED");
    }
  });

  it("a checkpoint that is not a DenseNet is refused by the architecture reader", () => {
    const c = readCheckpoint(stateDictZip());
    expect(codeOf(() => densenetFromTensors(c.tensors, c.modules))).toBe("MODEL_ARCHITECTURE");
  });
});

describe.skipIf(!fixturesPresent)("readCheckpoint: shared fixture checkpoints", () => {
  if (!fixturesPresent) it.skip(SKIP_NOTE, () => {});

  it("reads the legacy module and the zip state_dict to identical tensors", () => {
    const legacy = readCheckpoint(readFixture("xrv", "models", "densenet121-xrv-seed1-legacy.pt"));
    const state = readCheckpoint(readFixture("xrv", "models", "densenet121-xrv-seed1-state.pt"));
    expect(legacy).toMatchObject({ format: "legacy", kind: "module", rootClass: "torchxrayvision.models.DenseNet" });
    expect(state).toMatchObject({ format: "zip", kind: "state_dict" });
    expect(legacy.skipped).toContain("op_threshs");
    expect([...legacy.tensors.keys()].sort()).toEqual([...state.tensors.keys()].sort());
    for (const [name, t] of state.tensors) {
      const l = legacy.tensors.get(name)!;
      expect(l.shape, name).toEqual(t.shape);
      expect(Buffer.from(l.data.buffer).equals(Buffer.from(t.data.buffer)), name).toBe(true);
    }
    const w = densenetFromTensors(legacy.tensors, legacy.modules);
    expect(w.config).toEqual({ inChannels: 1, initFeatures: 64, growthRate: 32, bottleneck: 128, blocks: [6, 12, 24, 16], numFeatures: 1024, numClasses: 18 });
    expect(w.norm0.eps).toBe(1e-5);
  });
});
