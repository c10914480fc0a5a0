import { measureCtr, type CtrMeasurement } from "./ctr";

// From the anatomy model's logits [targets, size, size] to masks (logit > 0, i.e. sigmoid > 0.5), their
// pixel counts, the cardiothoracic ratio, and a compact form: bits packed row-major, most significant bit
// first (numpy packbits order), 32 KiB per 512 x 512 structure. Pure.

/** Output channels of the chestx_det PSPNet used by the measurements. */
export const TARGET_INDEX = { leftLung: 4, rightLung: 5, heart: 8 } as const;

export interface AnatomyResult {
  size: number;
  targets: readonly string[];
  /** Set pixels per target, in target order. */
  maskPixels: number[];
  /** targets x size x size bits, packbits order. */
  packed: Uint8Array;
  ctr: CtrMeasurement;
}

export function maskOf(logits: Float32Array, target: number, size: number): Uint8Array {
  const plane = size * size;
  const out = new Uint8Array(plane);
  const base = target * plane;
  for (let i = 0; i < plane; i++) out[i] = logits[base + i] > 0 ? 1 : 0;
  return out;
}

export function packMasks(logits: Float32Array, targets: number, size: number): Uint8Array {
  const n = targets * size * size;
  if (logits.length !== n) throw new RangeError(`${logits.length} logits for ${targets} x ${size} x ${size}`);
  const packed = new Uint8Array(Math.ceil(n / 8));
  for (let i = 0; i < n; i++) if (logits[i] > 0) packed[i >> 3] |= 0x80 >> (i & 7);
  return packed;
}

/** One target's mask (0/1 per pixel) from the packed bits. */
export function unpackMask(packed: Uint8Array, target: number, size: number): Uint8Array {
  const plane = size * size;
  const out = new Uint8Array(plane);
  const base = target * plane;
  for (let i = 0; i < plane; i++) {
    const k = base + i;
    out[i] = (packed[k >> 3] >> (7 - (k & 7))) & 1;
  }
  return out;
}

export function anatomyFromLogits(logits: Float32Array, targets: readonly string[], size: number): AnatomyResult {
  const maskPixels = targets.map((_, t) => {
    const base = t * size * size;
    let n = 0;
    for (let i = 0; i < size * size; i++) if (logits[base + i] > 0) n++;
    return n;
  });
  const ctr = measureCtr(
    {
      heart: maskOf(logits, TARGET_INDEX.heart, size),
      leftLung: maskOf(logits, TARGET_INDEX.leftLung, size),
      rightLung: maskOf(logits, TARGET_INDEX.rightLung, size),
    },
    size,
    size,
  );
  return { size, targets, maskPixels, packed: packMasks(logits, targets.length, size), ctr };
}
