// Test-only: seeded mutation fuzzing of decodeImage. Deterministic from (seed, case index), so a
// failing case is reproduced with `mutateCase(seeds, seed, index)` alone.
import { decodeImage } from "@/lib/imaging/decode";
import { ImagingError } from "@/lib/imaging/errors";

// One seeded generator for the whole project (also seeds the demo model), so runs reproduce exactly.
import { seededRandom as prng } from "@/lib/model-builder/densenet/random-weights";

export { prng };

export interface FuzzSeed {
  name: string;
  bytes: Uint8Array;
  /** Byte ranges worth mutating more often (headers, codestream starts). */
  hot?: [number, number][];
}

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 0x10, 0x40];

function pick<T>(rng: () => number, list: T[]): T {
  return list[Math.floor(rng() * list.length)];
}

function position(rng: () => number, seed: FuzzSeed, length: number): number {
  if (length === 0) return 0;
  if (seed.hot && seed.hot.length > 0 && rng() < 0.6) {
    const [from, to] = pick(rng, seed.hot);
    const p = from + Math.floor(rng() * Math.max(1, to - from));
    return Math.min(length - 1, p);
  }
  // Otherwise favour the first 4 KB, where headers and codec parameters live.
  if (rng() < 0.5) return Math.floor(rng() * Math.min(length, 4096));
  return Math.floor(rng() * length);
}

export type MutationKind = "flip" | "bits" | "interesting" | "splice" | "insert" | "delete" | "truncate";

export function mutate(seed: FuzzSeed, others: FuzzSeed[], rng: () => number): { bytes: Buffer; ops: MutationKind[] } {
  let b = Buffer.from(seed.bytes);
  const ops: MutationKind[] = [];
  const n = 1 + Math.floor(rng() * 3);
  for (let k = 0; k < n; k++) {
    const kind = pick<MutationKind>(rng, ["flip", "flip", "bits", "interesting", "interesting", "splice", "insert", "delete", "truncate"]);
    ops.push(kind);
    if (b.length === 0) break;
    switch (kind) {
      case "flip": {
        const count = 1 + Math.floor(rng() * 8);
        for (let i = 0; i < count; i++) b[position(rng, seed, b.length)] = Math.floor(rng() * 256);
        break;
      }
      case "bits": {
        const count = 1 + Math.floor(rng() * 4);
        for (let i = 0; i < count; i++) b[position(rng, seed, b.length)] ^= 1 << Math.floor(rng() * 8);
        break;
      }
      case "interesting": {
        const p = position(rng, seed, b.length);
        const width = pick(rng, [1, 2, 4]);
        const v = pick(rng, INTERESTING);
        for (let i = 0; i < width && p + i < b.length; i++) b[p + i] = rng() < 0.5 ? v : 0xff - v;
        break;
      }
      case "splice": {
        const donor = rng() < 0.5 ? seed.bytes : pick(rng, others).bytes;
        const len = 1 + Math.floor(rng() * 512);
        const from = Math.floor(rng() * Math.max(1, donor.length - len));
        const to = position(rng, seed, b.length);
        const chunk = donor.subarray(from, from + len);
        b.set(chunk.subarray(0, Math.max(0, b.length - to)), to);
        break;
      }
      case "insert": {
        const at = position(rng, seed, b.length);
        const len = 1 + Math.floor(rng() * 64);
        const chunk = Buffer.alloc(len);
        for (let i = 0; i < len; i++) chunk[i] = Math.floor(rng() * 256);
        b = Buffer.concat([b.subarray(0, at), chunk, b.subarray(at)]);
        break;
      }
      case "delete": {
        const at = position(rng, seed, b.length);
        const len = 1 + Math.floor(rng() * 256);
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + len))]);
        break;
      }
      case "truncate": {
        const keep = rng() < 0.3 ? Math.floor(rng() * Math.min(b.length, 2048)) : Math.floor(rng() * b.length);
        b = b.subarray(0, keep);
        break;
      }
    }
  }
  return { bytes: b, ops };
}

export function mutateCase(seeds: FuzzSeed[], seed: number, index: number) {
  const rng = prng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const s = seeds[index % seeds.length];
  return { seed: s, ...mutate(s, seeds, rng) };
}

export type FuzzOutcome =
  | { kind: "decoded" }
  | { kind: "refused"; code: string }
  | { kind: "unexpected"; error: string };

/** Runs decodeImage; anything other than success or an ImagingError is an unexpected outcome. */
export async function runCase(bytes: Buffer, codecTimeoutMs?: number): Promise<FuzzOutcome> {
  try {
    const d = await decodeImage(bytes, { qualityGates: "warn", codecTimeoutMs });
    if (d.pixels.length !== d.width * d.height) return { kind: "unexpected", error: "pixel count does not match size" };
    return { kind: "decoded" };
  } catch (e) {
    if (e instanceof ImagingError) {
      // A typed error must also be presentable: a status the API maps and a message for a person.
      if (![400, 413, 415, 422].includes(e.httpStatus) || e.message.length < 10) {
        return { kind: "unexpected", error: `ImagingError ${e.code} without a usable status/message` };
      }
      return { kind: "refused", code: e.code };
    }
    return { kind: "unexpected", error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}
