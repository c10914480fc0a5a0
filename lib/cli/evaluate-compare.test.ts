import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixturePath, fixturesPresent, readFixture, readTensor, SKIP_NOTE } from "@/test/support/imaging/fixtures";
import { convertCheckpoint } from "@/lib/model-builder/convert";
import { quantizeModel } from "@/lib/model-builder/quantize/quantize-model";
import { AGREEMENT_FILE, AgreementFile, decidePrecision } from "@/lib/inference/precision-choice";

// `npm run evaluate -- --compare` as a process: the fixture model against its int8 quantization on the
// fixture films with the fixture labelled set (test/support/fixture-labels.csv: reference score above
// the finding's median). The float32 model reproduces the reference's ranking, so its AUC is 1 on every
// finding; the report's verdict, its exit code, the saved agreement.json and the precision choice agree.

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const tsx = path.join(repoRoot, "node_modules/.bin/tsx");

describe.skipIf(!fixturesPresent)("npm run evaluate --compare (float32 against int8)", () => {
  if (!fixturesPresent) it.skip(SKIP_NOTE, () => {});

  let tmp: string;
  let out: { stdout: string; code: number };

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "cxr-compare-"));
    await convertCheckpoint({ checkpoint: fixturePath("xrv", "models", "densenet121-xrv-seed1-state.pt"), outDir: path.join(tmp, "fp32"), trained: false });
    const ref = JSON.parse(readFixture("xrv", "reference.json").toString("utf8")) as { images: { tensor: string }[] };
    await quantizeModel({
      modelDir: path.join(tmp, "fp32"),
      outDir: path.join(tmp, "int8"),
      calibration: ref.images.slice(0, 3).map((im) => readTensor("xrv", im.tensor)),
      calibrationSet: "three fixture films",
      // The whole network int8, unmeasured: the comparison below is what judges it.
      agreementLimit: null,
    });
    const images = (await readdir(fixturePath("xrv", "images"))).sort().map((f) => fixturePath("xrv", "images", f));
    const args = ["--conditions=react-server", "lib/cli/evaluate.ts", "--model", path.join(tmp, "fp32"), "--compare", path.join(tmp, "int8"), "--save"];
    out = await run(tsx, [...args, "--labels", "test/support/fixture-labels.csv", ...images], { cwd: repoRoot, maxBuffer: 64 << 20 }).then(
      (r) => ({ stdout: r.stdout, code: 0 }),
      (e: { stdout: string; code: number }) => ({ stdout: e.stdout, code: e.code }),
    );
  }, 300_000);

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("prints the paired comparison of every labelled finding", () => {
    const report = JSON.parse(out.stdout) as { a: { precision: string }; b: { precision: string }; images: { compared: number; labelled: number }; comparison: { auc: { aucA: number; aucB: number; p: number | null; positives: number; negatives: number }[]; aucNotComputable: string[] } };
    expect(report.a.precision).toBe("fp32");
    expect(report.b.precision).toBe("int8");
    expect(report.images).toMatchObject({ compared: 10, labelled: 10 });
    expect(report.comparison.auc).toHaveLength(18);
    expect(report.comparison.aucNotComputable).toEqual([]);
    for (const f of report.comparison.auc) {
      expect(f.positives + f.negatives).toBe(10);
      expect(f.aucA).toBe(1);
      expect(f.aucB).toBeGreaterThanOrEqual(0);
      expect(f.aucB).toBeLessThanOrEqual(1);
      if (f.aucB === 1) expect(f.p).toBe(1);
      else expect(f.p).toBeGreaterThan(0);
    }
  });

  it("its verdict, the exit code, the saved agreement and the precision choice agree", async () => {
    const report = JSON.parse(out.stdout) as { comparison: { acceptable: boolean; limit: number; calibrated: { maxAbsDifference: number }; changedCalls: unknown[]; changedTriage: unknown[] } };
    const c = report.comparison;
    expect(c.acceptable).toBe(c.calibrated.maxAbsDifference <= c.limit && c.changedCalls.length === 0 && c.changedTriage.length === 0);
    expect(out.code).toBe(c.acceptable ? 0 : 2);
    const saved = AgreementFile.parse(JSON.parse(await readFile(path.join(tmp, "int8", AGREEMENT_FILE), "utf8")));
    expect(saved.comparison.calibrated.maxAbsDifference).toBe(c.calibrated.maxAbsDifference);
    const choice = decidePrecision("int8", path.join(tmp, "fp32"), path.join(tmp, "int8"));
    expect(choice.serving).toBe(c.acceptable ? "int8" : "fp32");
  });
});
