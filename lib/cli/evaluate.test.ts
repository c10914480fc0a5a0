import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixturePath, fixturesPresent, readFixture, SKIP_NOTE } from "@/test/support/imaging/fixtures";
import { convertCheckpoint } from "@/lib/model-builder/convert";

// `npm run evaluate` against `npm run analyze`, both as processes, on the fixture checkpoint and images
// with a labels file written here (with unknown cells and a column the model does not know). The AUCs
// it prints must equal those recomputed here, pair by pair, from the probabilities `analyze` prints.

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const tsx = path.join(repoRoot, "node_modules/.bin/tsx");

async function cli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return run(tsx, ["--conditions=react-server", ...args], { cwd: repoRoot, maxBuffer: 64 << 20 }).then(
    (r) => ({ ...r, code: 0 }),
    (e: { stdout: string; stderr: string; code: number }) => e,
  );
}

function pairwiseAuc(pos: number[], neg: number[]): number | null {
  if (!pos.length || !neg.length) return null;
  let won = 0;
  for (const x of pos) for (const y of neg) won += x > y ? 1 : x === y ? 0.5 : 0;
  return won / (pos.length * neg.length);
}

interface Evaluation {
  model: { trained: boolean };
  images: { given: number; labelled: number; analysed: number };
  unlabelledFiles: string[];
  ignoredColumns: string[];
  findings: {
    label: string;
    n: number;
    positives: number;
    auc: number | null;
    aucCi: [number, number] | null;
    operatingPoint: { threshold: number; sensitivity: number | null; specificity: number | null };
    siteThreshold: { threshold: number; sensitivity: number | null };
    sensitivity90: { threshold: number; sensitivity: number } | null;
    sensitivity95: { threshold: number; sensitivity: number } | null;
    calibration: { bins: { count: number; meanPredicted: number | null; observedRate: number | null }[]; ece: number | null };
  }[];
}

// In the model's output order (the report's order); the labels file below has its columns in another.
const LABELS = ["Atelectasis", "Pneumothorax", "Effusion", "Cardiomegaly"];

describe.skipIf(!fixturesPresent)("npm run evaluate (end to end, against npm run analyze)", () => {
  if (!fixturesPresent) it.skip(SKIP_NOTE, () => {});

  let tmp: string;
  let files: string[];
  let truth: Record<string, Record<string, 0 | 1 | null>>;
  let analyzed: { file: string; ok: boolean; findings: { label: string; probability: number; calibrated: number }[] }[];
  let evaluation: Evaluation;
  let evalCode: number;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "cxr-evaluate-"));
    const ref = JSON.parse(readFixture("xrv", "reference.json").toString("utf8")) as { images: { file: string }[] };
    await convertCheckpoint({
      checkpoint: fixturePath("xrv", "models", "densenet121-xrv-seed1-state.pt"),
      outDir: path.join(tmp, "model"),
      name: "densenet121-res224-all",
      trained: false,
    });
    files = ref.images.map((im) => fixturePath("xrv", "images", im.file));
    // Labels by position: unknown cells in every column, Cardiomegaly with no negative at all (AUC null).
    truth = {};
    ref.images.forEach((im, i) => {
      truth[im.file] = {
        Atelectasis: i % 3 === 2 ? null : ((i % 2) as 0 | 1),
        Effusion: i === 0 ? null : i < 5 ? 1 : 0,
        Pneumothorax: i % 4 === 0 ? 1 : i === 1 ? null : 0,
        Cardiomegaly: i % 2 === 0 ? 1 : null,
      };
    });
    const csv = [
      "file,atelectasis,Effusion,PNEUMOTHORAX,Cardiomegaly,site",
      ...ref.images.map((im) => [im.file, ...["Atelectasis", "Effusion", "Pneumothorax", "Cardiomegaly"].map((l) => truth[im.file][l] ?? ""), "north"].join(",")),
    ].join("\n");
    await writeFile(path.join(tmp, "labels.csv"), csv);
    const extra = fixturePath("dicom", "dx-12bit-lateral.dcm");

    const [a, e] = await Promise.all([
      cli(["lib/cli/analyze.ts", "--model", path.join(tmp, "model"), ...files]),
      cli(["lib/cli/evaluate.ts", "--model", path.join(tmp, "model"), "--labels", path.join(tmp, "labels.csv"), "--out", path.join(tmp, "out"), ...files, extra]),
    ]);
    expect(a.code, a.stderr).toBe(0);
    analyzed = JSON.parse(a.stdout);
    evalCode = e.code;
    expect(e.stdout, e.stderr).toMatch(/^\{/);
    evaluation = JSON.parse(e.stdout);
  }, 240_000);

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("evaluates the labelled images, reports the unlabelled one and the unknown column, and exits 0", () => {
    expect(evalCode).toBe(0);
    expect(evaluation.images).toEqual({ given: files.length + 1, labelled: files.length, analysed: files.length });
    expect(evaluation.unlabelledFiles.map((f) => path.basename(f))).toEqual(["dx-12bit-lateral.dcm"]);
    expect(evaluation.ignoredColumns).toEqual(["site"]);
    expect(evaluation.model.trained).toBe(false);
    expect(evaluation.findings.map((f) => f.label)).toEqual(LABELS);
  });

  it("prints AUCs equal (≤ 1e-6) to those recomputed from npm run analyze's probabilities, skipping unknown labels", () => {
    expect(analyzed).toHaveLength(files.length);
    for (const label of LABELS) {
      const pos: number[] = [];
      const neg: number[] = [];
      for (const entry of analyzed) {
        const t = truth[path.basename(entry.file)][label];
        const p = entry.findings.find((f) => f.label === label)!.probability;
        if (t === 1) pos.push(p);
        if (t === 0) neg.push(p);
      }
      const f = evaluation.findings.find((x) => x.label === label)!;
      expect(f.n, label).toBe(pos.length + neg.length);
      expect(f.positives, label).toBe(pos.length);
      const expected = pairwiseAuc(pos, neg);
      if (expected === null) {
        expect(f.auc, label).toBeNull();
        expect(f.aucCi, label).toBeNull();
      } else {
        expect(Math.abs(f.auc! - expected), label).toBeLessThanOrEqual(1e-6);
        expect(f.aucCi![0]).toBeLessThanOrEqual(f.auc!);
        expect(f.aucCi![1]).toBeGreaterThanOrEqual(f.auc!);
      }
    }
    expect(evaluation.findings.find((f) => f.label === "Cardiomegaly")!.auc).toBeNull();
  });

  it("reports operating points, sensitivity thresholds and a 10-bin calibration table that add up", () => {
    for (const f of evaluation.findings) {
      expect(f.operatingPoint.threshold).toBe(0.5);
      expect(f.siteThreshold.threshold).toBe(0.5);
      if (f.positives > 0) {
        expect(f.sensitivity90!.sensitivity).toBeGreaterThanOrEqual(0.9);
        expect(f.sensitivity95!.sensitivity).toBeGreaterThanOrEqual(0.95);
        expect(f.sensitivity95!.threshold).toBeLessThanOrEqual(f.sensitivity90!.threshold);
      }
      expect(f.calibration.bins).toHaveLength(10);
      expect(f.calibration.bins.reduce((a, b) => a + b.count, 0)).toBe(f.n);
      expect(f.calibration.ece).toBeGreaterThanOrEqual(0);
    }
  });

  it("writes ROC and calibration PNGs per finding and the per-image scores as CSV", async () => {
    const out = path.join(tmp, "out");
    const names = (await readdir(out)).sort();
    for (const l of LABELS) expect(names).toEqual(expect.arrayContaining([`roc-${l}.png`, `calibration-${l}.png`]));
    const head = await readFile(path.join(out, "roc-Effusion.png"));
    expect(head.subarray(1, 4).toString("latin1")).toBe("PNG");
    const csv = (await readFile(path.join(out, "scores.csv"), "utf8")).trim().split("\r\n");
    expect(csv[0]).toBe(["file", ...LABELS.flatMap((l) => [l, `${l}_probability`, `${l}_calibrated`])].join(","));
    expect(csv).toHaveLength(files.length + 1);
    const first = analyzed[0];
    const row = csv[1].split(",");
    expect(row[0]).toBe(path.basename(first.file));
    expect(Number(row[8])).toBe(first.findings.find((f) => f.label === "Effusion")!.probability);
  });

  it("refuses a labels file with a value that is not 1, 0 or empty, naming the row and column", async () => {
    await writeFile(path.join(tmp, "bad.csv"), "file,Effusion\nx.png,yes\n");
    const r = await cli(["lib/cli/evaluate.ts", "--model", path.join(tmp, "model"), "--labels", path.join(tmp, "bad.csv"), files[0]]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Row 2, column Effusion: "yes" is not a label/);
  });
});
