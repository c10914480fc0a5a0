// Test-only: where the shared reference fixtures live (../shared/fixtures beside the repository
// root) and small readers for them. Tests that need them use describe.skipIf(!fixturesPresent).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const fixturesDir = path.resolve(repoRoot, "../shared/fixtures");
export const fixturesPresent = fs.existsSync(path.join(fixturesDir, "xrv", "reference.json"));

export const SKIP_NOTE = `SKIPPED: reference fixtures not found at ${fixturesDir}`;

export function fixturePath(...parts: string[]): string {
  return path.join(fixturesDir, ...parts);
}

export function readFixture(...parts: string[]): Buffer {
  return fs.readFileSync(fixturePath(...parts));
}

/** A 1x224x224 float32 little-endian tensor file. */
export function readTensor(...parts: string[]): Float32Array {
  const b = readFixture(...parts);
  const copy = new Uint8Array(b); // aligned copy for the Float32Array view
  return new Float32Array(copy.buffer, 0, copy.length / 4);
}

export interface ReferenceImage {
  file: string;
  tensor: string;
  tensor_sha256: string;
  tensor_mean: number;
  tensor_min: number;
  tensor_max: number;
}

export function readReference(): { images: ReferenceImage[] } {
  return JSON.parse(readFixture("xrv", "reference.json").toString("utf8"));
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (Number.isNaN(d)) return Number.POSITIVE_INFINITY;
    if (d > m) m = d;
  }
  return m;
}
