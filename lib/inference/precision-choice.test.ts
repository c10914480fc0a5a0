import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGREEMENT_FILE, decidePrecision, type Agreement } from "./precision-choice";

const SHA_A = "a".repeat(64);
const SHA_B = "b".repeat(64);

describe("which precision serves", () => {
  let tmp: string;
  let fp32: string;
  let int8: string;
  const agreement = (over: Partial<Agreement["comparison"]> = {}, shaB = SHA_B): Agreement => ({
    comparedAt: new Date().toISOString(),
    a: { dir: fp32, name: "m", precision: "fp32", sha256: SHA_A, trained: true },
    b: { dir: int8, name: "m", precision: "int8", sha256: shaB, trained: true },
    images: { given: 10, compared: 10, labelled: 10 },
    comparison: { films: 10, acceptable: true, limit: 0.02, calibrated: { maxAbsDifference: 0.01, meanAbsDifference: 0.002 }, changedCalls: [], changedTriage: [], auc: [], ...over },
  });
  const save = (a: Agreement) => writeFile(path.join(int8, AGREEMENT_FILE), JSON.stringify(a));

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "cxr-precision-"));
    fp32 = path.join(tmp, "fp32");
    int8 = path.join(tmp, "int8");
    for (const [dir, sha] of [[fp32, SHA_A], [int8, SHA_B]]) {
      await mkdir(dir);
      await writeFile(path.join(dir, "model.json"), JSON.stringify({ onnx: { sha256: sha } }));
    }
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it("float32 by default, and while no comparison was saved", () => {
    expect(decidePrecision("fp32", fp32, int8)).toMatchObject({ serving: "fp32", dir: fp32, reason: null });
    expect(decidePrecision("int8", fp32, null)).toMatchObject({ serving: "fp32", reason: expect.stringMatching(/MODEL_INT8_DIR/) });
    expect(decidePrecision("int8", fp32, int8)).toMatchObject({ serving: "fp32", reason: expect.stringMatching(/no comparison/) });
  });

  it("int8 once the comparison of exactly this pair passed", async () => {
    await save(agreement());
    expect(decidePrecision("int8", fp32, int8)).toMatchObject({ serving: "int8", dir: int8, reason: null });
    expect(decidePrecision("fp32", fp32, int8)).toMatchObject({ serving: "fp32", agreement: { comparison: { acceptable: true } } });
  });

  it("float32 when the comparison failed or was of other files", async () => {
    await save(agreement({ acceptable: false, calibrated: { maxAbsDifference: 0.17, meanAbsDifference: 0.04 } }));
    expect(decidePrecision("int8", fp32, int8)).toMatchObject({ serving: "fp32", reason: expect.stringMatching(/did not pass.*0\.170/) });
    await save(agreement({}, "c".repeat(64)));
    expect(decidePrecision("int8", fp32, int8)).toMatchObject({ serving: "fp32", reason: expect.stringMatching(/other model files/) });
  });
});
