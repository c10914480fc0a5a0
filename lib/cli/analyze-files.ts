import "server-only";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { analyzeImage } from "@/lib/pipeline/analyze-image";
import type { QualityWarning } from "@/lib/imaging";
import type { Finding } from "@/lib/inference/calibrate";
import type { LoadedModel } from "@/lib/inference/engine";
import type { LoadedZooModel } from "@/lib/inference/zoo-engine";
import { findingZone, lungsFromPacked } from "@/lib/anatomy/finding-zones";
import { runAnatomy, runView, type AnatomySummary, type ViewSummary } from "@/lib/anatomy/run-models";

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
  /** With an anatomy model: the measured CTR and mask sizes. */
  anatomy?: AnatomySummary;
  /** With a view model: frontal or lateral, from the pixels. */
  view?: ViewSummary;
}

export interface AnalyzeFilesOptions {
  dumpDir?: string;
  anatomyModel?: LoadedZooModel;
  viewModel?: LoadedZooModel;
}

export async function analyzeFiles(files: readonly string[], model: LoadedModel, opts: AnalyzeFilesOptions = {}): Promise<FileResult[]> {
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
      let anatomy: AnatomySummary | undefined;
      if (opts.anatomyModel) {
        const { summary, result } = await runAnatomy(opts.anatomyModel, r.decoded);
        const lungs = lungsFromPacked(result.packed, result.size);
        const findingZones: Record<string, string | null> = {};
        r.findings.forEach((f, i) => {
          if (f.positive) findingZones[f.label] = findingZone(r.cam, i, lungs, result.size)?.label ?? null;
        });
        anatomy = { ...summary, findingZones };
      }
      const view = opts.viewModel ? await runView(opts.viewModel, r.decoded) : undefined;
      results.push({
        file,
        ok: true,
        model: modelInfo,
        warnings: r.warnings,
        findings: r.findings,
        cam: { shape: r.cam.shape, data: Array.from(r.cam.data) },
        ...(anatomy && { anatomy }),
        ...(view && { view }),
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
