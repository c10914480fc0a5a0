// Stored pixel values as integers: bits outside Bits Stored (overlays, garbage in the high bits of a
// 12-in-16 layout) are masked off and signed data is sign-extended, as PS3.5 8.1.1 defines them.
import type { PixelModule } from "./pixel-module";

function finish(raw: number, shift: number, mask: number, signBit: number, signed: boolean): number {
  const v = (raw >>> shift) & mask;
  return signed && v & signBit ? v - (mask + 1) : v;
}

/** Native (uncompressed) frame bytes, little- or big-endian, honouring High Bit. */
export function storedFromNative(bytes: Uint8Array, header: PixelModule, bigEndian: boolean): Int32Array {
  const n = header.rows * header.columns;
  const out = new Int32Array(n);
  const shift = header.highBit - header.bitsStored + 1;
  const mask = header.bitsStored >= 32 ? 0xffffffff : (1 << header.bitsStored) - 1;
  const signBit = 1 << (header.bitsStored - 1);
  const signed = header.pixelRepresentation === 1;
  if (header.bitsAllocated === 8) {
    for (let i = 0; i < n; i++) out[i] = finish(bytes[i], shift, mask, signBit, signed);
  } else if (bigEndian) {
    for (let i = 0, p = 0; i < n; i++, p += 2) out[i] = finish((bytes[p] << 8) | bytes[p + 1], shift, mask, signBit, signed);
  } else {
    for (let i = 0, p = 0; i < n; i++, p += 2) out[i] = finish(bytes[p] | (bytes[p + 1] << 8), shift, mask, signBit, signed);
  }
  return out;
}

/** Samples from a codec, already aligned at bit 0. */
export function storedFromSamples(samples: Uint8Array | Uint16Array, header: PixelModule): Int32Array {
  const n = header.rows * header.columns;
  const out = new Int32Array(n);
  const mask = (1 << header.bitsStored) - 1;
  const signBit = 1 << (header.bitsStored - 1);
  const signed = header.pixelRepresentation === 1;
  for (let i = 0; i < n; i++) out[i] = finish(samples[i], 0, mask, signBit, signed);
  return out;
}
