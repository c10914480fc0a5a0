import "server-only";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { analyzeFiles } from "@/lib/cli/analyze-files";
import type { LoadedModel } from "@/lib/inference/engine";
import { compareModels } from "@/lib/validation/compare-models";

// The other half of `npm run bench -- --compare`: what the faster precision changes on the films, in the
// same run as its timing. Both models read the same films through the pipeline of `npm run analyze`;
// the numbers are those `npm run evaluate --compare` gates on (max |Δ calibrated| <= 0.02, no call and
// no triage level changed), at the operating point (no site thresholds).

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const FIXTURE_FILMS = path.resolve(repoRoot, "../shared/fixtures/xrv/images");

export function filmsIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => !n.startsWith("."))
    .sort()
    .map((n) => path.join(dir, n));
}

export async function precisionAgreement(fp32: LoadedModel, int8: LoadedModel, films: string[]) {
  const [ra, rb] = [await analyzeFiles(films, fp32), await analyzeFiles(films, int8)];
  const compared = ra.flatMap((r, i) => (r.ok && rb[i].ok ? [{ file: path.basename(r.file), truth: {}, a: r.findings, b: rb[i].findings }] : []));
  const c = compareModels(fp32.manifest.labels, compared, {});
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  return {
    films: c.films,
    filmsDir: films.length ? path.dirname(films[0]) : null,
    maxAbsCalibratedDifference: r4(c.calibrated.maxAbsDifference),
    meanAbsCalibratedDifference: r4(c.calibrated.meanAbsDifference),
    changedCalls: c.changedCalls.length,
    changedTriage: c.changedTriage.length,
    acceptable: c.acceptable,
    limit: c.limit,
  };
}
