import "server-only";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { analyzeImage } from "@/lib/pipeline/analyze-image";
import type { QualityWarning } from "@/lib/imaging";
import type { Finding } from "@/lib/inference/calibrate";
import type { LoadedModel } from "@/lib/inference/engine";

// The per-file loop of `npm run analyze`, shared with `npm run evaluate` so that both put every image
// through exactly the same pipeline. A file that fails gets ok: false and an error; the others still run.

export interface FileResult {
  file: string;
  ok: boolean;
  error?: string;
  errorCode?: string;
  model: { name: string; version: string; trained: boolean; precision: "fp32" | "int8" };
  warnings: QualityWarning[];
  findings: Finding[];
  cam: { shape: number[]; data: number[] } | null;
}

export async function analyzeFiles(files: readonly string[], model: LoadedModel, opts: { dumpDir?: string } = {}): Promise<FileResult[]> {
  const modelInfo = { name: model.manifest.name, version: model.manifest.version, trained: model.manifest.trained, precision: model.manifest.precision };
  if (opts.dumpDir) await mkdir(opts.dumpDir, { recursive: true });
  const results: FileResult[] = [];
  for (const file of files) {
    try {
      const buf = await readFile(file);
      const r = await analyzeImage(buf, { fileName: path.basename(file), model });
      if (opts.dumpDir) {
        const bytes = Buffer.from(r.input.buffer, r.input.byteOffset, r.input.byteLength);
        await writeFile(path.join(opts.dumpDir, `${path.basename(file)}.f32`), bytes);
      }
      results.push({
        file,
        ok: true,
        model: modelInfo,
        warnings: r.warnings,
        findings: r.findings,
        cam: { shape: r.cam.shape, data: Array.from(r.cam.data) },
      });
    } catch (err) {
      const e = err as Error & { code?: string };
      const missing = (e as { path?: string }).path;
      const message = e.code === "ENOENT" ? `file not found: ${missing ?? file}` : e.code === "EISDIR" ? `${file} is a directory` : e.message;
      results.push({ file, ok: false, error: message, errorCode: e.code, model: modelInfo, warnings: [], findings: [], cam: null });
    }
  }
  return results;
}
