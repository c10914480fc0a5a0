import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixturePath, fixturesPresent, maxAbsDiff, readFixture, readTensor, SKIP_NOTE } from "@/test/support/imaging/fixtures";
import { convertCheckpoint } from "@/lib/model-builder/convert";

// End to end: `npm run analyze` as a process, over every fixture image plus a lateral DICOM and a file
// that is not an image, with the fixture checkpoint converted into a temporary model directory.

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

interface Entry {
  file: string;
  ok: boolean;
  error?: string;
  errorCode?: string;
  model: { name: string; trained: boolean };
  warnings: { code: string; message: string }[];
  findings: { label: string; logit: number; probability: number; calibrated: number; positive: boolean }[];
  cam: { shape: number[]; data: number[] } | null;
}

describe.skipIf(!fixturesPresent)("npm run analyze (end to end)", () => {
  if (!fixturesPresent) it.skip(SKIP_NOTE, () => {});

  let tmp: string;
  let entries: Entry[];
  let exitCode: number;
  let ref: { labels: string[]; images: { file: string; tensor: string; logits: number[] }[] };

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "cxr-analyze-"));
    ref = JSON.parse(readFixture("xrv", "reference.json").toString("utf8"));
    await convertCheckpoint({
      checkpoint: fixturePath("xrv", "models", "densenet121-xrv-seed1-state.pt"),
      outDir: path.join(tmp, "model"),
      name: "densenet121-res224-all",
      trained: false,
    });
    const notImage = path.join(tmp, "notes.txt");
    await writeFile(notImage, "this is not an image");
    const files = [...ref.images.map((im) => fixturePath("xrv", "images", im.file)), fixturePath("dicom", "dx-12bit-lateral.dcm"), notImage];
    const args = ["--conditions=react-server", "lib/cli/analyze.ts", "--model", path.join(tmp, "model"), "--dump-tensors", path.join(tmp, "tensors"), ...files];
    const result = await run(path.join(repoRoot, "node_modules/.bin/tsx"), args, { cwd: repoRoot, maxBuffer: 64 << 20 }).then(
      (r) => ({ ...r, code: 0 }),
      (e: { stdout: string; stderr: string; code: number }) => e,
    );
    exitCode = result.code;
    entries = JSON.parse(result.stdout);
  }, 180_000);

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("prints one entry per file, in order, and exits 1 because one file failed", () => {
    expect(entries).toHaveLength(ref.images.length + 2);
    expect(entries.slice(0, ref.images.length).map((e) => path.basename(e.file))).toEqual(ref.images.map((im) => im.file));
    expect(exitCode).toBe(1);
  });

  it("matches the reference logits within 1e-3 for every fixture image, with calibrated findings and CAMs", () => {
    ref.images.forEach((im, k) => {
      const e = entries[k];
      expect(e.ok, `${im.file}: ${e.error}`).toBe(true);
      expect(e.model).toMatchObject({ name: "densenet121-res224-all", trained: false, precision: "fp32" });
      expect(e.findings.map((f) => f.label)).toEqual(ref.labels);
      e.findings.forEach((f, i) => {
        expect(Math.abs(f.logit - im.logits[i]), `${im.file} logit ${i}`).toBeLessThan(1e-3);
        expect(f.positive).toBe(f.calibrated >= 0.5);
      });
      expect(e.cam?.shape).toEqual([18, 7, 7]);
      expect(e.cam?.data).toHaveLength(18 * 49);
    });
  });

  it("dumps each model input within 0.5 of the reference tensor", async () => {
    for (const im of ref.images) {
      const bytes = await readFile(path.join(tmp, "tensors", `${im.file}.f32`));
      expect(bytes.length).toBe(224 * 224 * 4);
      const dumped = new Float32Array(new Uint8Array(bytes).buffer);
      expect(maxAbsDiff(dumped, readTensor("xrv", im.tensor)), im.file).toBeLessThan(0.5);
    }
  });

  it("passes quality warnings through and reports a failed file without stopping the others", () => {
    const lateral = entries[ref.images.length];
    expect(lateral.ok).toBe(true);
    expect(lateral.warnings.map((w) => w.code)).toContain("non_frontal_view");
    const bad = entries[ref.images.length + 1];
    expect(bad).toMatchObject({ ok: false, errorCode: "unsupported_format", findings: [], cam: null });
    expect(bad.error).toMatch(/not a supported image/);
  });
});
