import "server-only";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { writeDicom, syntheticPixels } from "@/lib/imaging/testing/dicom-writer";
import { encodeJpeg2000 } from "@/lib/imaging/testing/encoders";
import { convertCheckpoint } from "@/lib/inference/convert";
import { buildDemoModel } from "@/lib/inference/demo-model";

// Inputs for `npm run bench`: the shared fixture files when present, generated images otherwise, and a
// model to time when none is given (the converted fixture checkpoint, else the seeded demo model; the
// network is the same DenseNet-121, so timings do not depend on which weights it carries).

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const fixturesDir = path.resolve(repoRoot, "../shared/fixtures");

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

async function generated(format: BenchSample["format"]): Promise<Buffer> {
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
    else out.push({ format, source: "generated", name: `generated ${format}`, buf: await generated(format) });
  }
  return out;
}

/** A model directory to benchmark when --model is not given. */
export async function defaultBenchModel(): Promise<{ dir: string; origin: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cxr-bench-model-"));
  const checkpoint = path.join(fixturesDir, "xrv/models/densenet121-xrv-seed1-state.pt");
  if (existsSync(checkpoint)) {
    await convertCheckpoint({ checkpoint, outDir: dir, name: "densenet121-res224-all", trained: false });
    return { dir, origin: "converted fixture checkpoint densenet121-xrv-seed1-state.pt" };
  }
  await buildDemoModel(dir);
  return { dir, origin: "seeded demo model (fixtures absent)" };
}
