import "server-only";
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import sharp from "sharp";
import { writeDicom, syntheticPixels } from "@/test/support/imaging/dicom-writer";
import { encodeJpeg2000 } from "@/test/support/imaging/encoders";
import { CATALOG } from "@/lib/model-builder/catalog";
import { readCheckpointFile } from "@/lib/model-builder/checkpoint/read-checkpoint";
import { buildDenseNetGraph } from "@/lib/model-builder/densenet/build-graph";
import { densenetFromTensors } from "@/lib/model-builder/densenet/weights";
import { demoWeights } from "@/lib/model-builder/demo-model";
import { writeModelDir } from "@/lib/model-builder/model-dir-writer";

// Inputs for `npm run bench`: the shared fixture files when present, generated images otherwise, and a
// model to time when none is given (the converted fixture checkpoint, else the seeded demo model; the
// network is the same DenseNet-121, so timings do not depend on which weights it carries).

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const fixturesDir = path.resolve(repoRoot, "../shared/fixtures");
const run = promisify(execFile);

export interface BenchSample {
  format: "PNG" | "JPEG" | "DICOM uncompressed" | "DICOM JPEG 2000";
  source: "fixture" | "generated";
  name: string;
  buf: Buffer;
}

const FIXTURES: Record<BenchSample["format"], string> = {
  PNG: "xrv/images/00000001_000.png",
  JPEG: "xrv/images/16747_3_1.jpg",
  "DICOM uncompressed": "dicom/dx-12bit-explicit-le.dcm",
  "DICOM JPEG 2000": "dicom/dx-12bit-jpeg2000.dcm",
};

export async function generatedSample(format: BenchSample["format"]): Promise<Buffer> {
  const size = 1024;
  const grey = Uint8Array.from(syntheticPixels(size, size, 255));
  if (format === "PNG") return sharp(grey, { raw: { width: size, height: size, channels: 1 } }).png().toBuffer();
  if (format === "JPEG") return sharp(grey, { raw: { width: size, height: size, channels: 1 } }).jpeg({ quality: 90 }).toBuffer();
  const rows = 512;
  const cols = 430;
  const px = Uint16Array.from(syntheticPixels(rows, cols, 4095));
  if (format === "DICOM uncompressed") return writeDicom({ rows, columns: cols, bitsStored: 12, pixels: px });
  const j2k = await encodeJpeg2000(px, cols, rows, 12);
  return writeDicom({ rows, columns: cols, bitsStored: 12, transferSyntax: "1.2.840.10008.1.2.4.90", pixels: { fragments: [j2k] } });
}

export async function benchSamples(): Promise<BenchSample[]> {
  const out: BenchSample[] = [];
  for (const format of Object.keys(FIXTURES) as BenchSample["format"][]) {
    const file = path.join(fixturesDir, FIXTURES[format]);
    if (existsSync(file)) out.push({ format, source: "fixture", name: path.basename(file), buf: readFileSync(file) });
    else out.push({ format, source: "generated", name: `generated ${format}`, buf: await generatedSample(format) });
  }
  return out;
}

/**
 * A model directory to benchmark when --model is not given, made by the real commands in a child
 * process, so that the conversion's memory does not count in this process's resident set.
 */
export async function defaultBenchModel(): Promise<{ dir: string; origin: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cxr-bench-model-"));
  const checkpoint = path.join(fixturesDir, "xrv/models/densenet121-xrv-seed1-state.pt");
  const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");
  const fixture = existsSync(checkpoint);
  const args = fixture
    ? ["lib/cli/model-convert.ts", "--checkpoint", checkpoint, "--out", dir, "--untrained"]
    : ["lib/cli/model-demo.ts", "--out", dir];
  await run(tsx, ["--conditions=react-server", ...args], { cwd: repoRoot });
  return { dir, origin: fixture ? "converted fixture checkpoint densenet121-xrv-seed1-state.pt" : "seeded demo model (fixtures absent)" };
}

/**
 * The same network written literally, as a plain PyTorch export would be (BatchNorm folding only), for a
 * same-machine, same-moment comparison: absolute timings on a shared 2-core VM drift with its load.
 */
export async function plainExportModel(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cxr-bench-plain-"));
  const checkpoint = path.join(fixturesDir, "xrv/models/densenet121-xrv-seed1-state.pt");
  const weights = existsSync(checkpoint)
    ? await readCheckpointFile(checkpoint).then((c) => densenetFromTensors(c.tensors, c.modules))
    : await demoWeights();
  const entry = CATALOG["densenet121-res224-all"];
  await writeModelDir(dir, buildDenseNetGraph(weights, { literal: true }).onnx, {
    name: "plain-export-equivalent",
    description: "benchmark comparison only",
    config: weights.config,
    labels: entry.labels,
    op_threshs: entry.op_threshs,
    checkpoint: null,
    seed: null,
    trained: false,
  });
  return dir;
}
