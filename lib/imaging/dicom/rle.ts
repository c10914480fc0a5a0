// DICOM RLE Lossless (PS3.5 Annex G). No maintained npm package decodes it outside a browser image
// loader, and the format is small: a 64-byte header of segment offsets, one PackBits segment per
// byte plane (most significant plane first). Every read and write is bounds-checked.
import { ImagingError } from "../errors";

const corrupt = (what: string) => new ImagingError("corrupt", `The RLE-compressed DICOM frame is damaged (${what}).`);

function readU32(d: Uint8Array, p: number): number {
  return (d[p] | (d[p + 1] << 8) | (d[p + 2] << 16) | (d[p + 3] << 24)) >>> 0;
}

/** Bytes a segment may hold after its last sample: the pad to even length, and encoders' no-op bytes. */
const SEGMENT_SLACK = 8;

/**
 * Decodes one PackBits segment into `out` at stride `step` starting at `start`; returns bytes written
 * and the position in `src` where decoding stopped.
 */
function unpackSegment(src: Uint8Array, from: number, to: number, out: Uint8Array, start: number, step: number, count: number) {
  let p = from;
  let n = 0;
  let o = start;
  while (p < to && n < count) {
    const h = src[p++];
    if (h < 128) {
      // Literal run of h + 1 bytes.
      const len = Math.min(h + 1, count - n, to - p);
      for (let i = 0; i < len; i++, o += step) out[o] = src[p + i];
      p += h + 1;
      n += len;
    } else if (h > 128) {
      // Replicate the next byte 257 - h times.
      if (p >= to) break;
      const v = src[p++];
      const len = Math.min(257 - h, count - n);
      for (let i = 0; i < len; i++, o += step) out[o] = v;
      n += len;
    }
    // h === 128 is a no-op.
  }
  return { written: n, end: p };
}

/**
 * Decodes an RLE frame of `pixelCount` single-sample pixels with `bytesPerSample` (1 or 2) into
 * little-endian sample bytes, the layout of native pixel data.
 */
export function decodeRle(data: Uint8Array, pixelCount: number, bytesPerSample: number): Uint8Array {
  if (data.length < 64) throw corrupt("header shorter than 64 bytes");
  const segments = readU32(data, 0);
  if (segments !== bytesPerSample) {
    throw corrupt(`${segments} segments for ${bytesPerSample}-byte samples`);
  }
  const offsets: number[] = [];
  for (let i = 0; i < segments; i++) offsets.push(readU32(data, 4 + 4 * i));
  const out = new Uint8Array(pixelCount * bytesPerSample);
  for (let s = 0; s < segments; s++) {
    const from = offsets[s];
    const to = s + 1 < segments ? offsets[s + 1] : data.length;
    if (from < 64 || from >= data.length || to > data.length || to <= from) throw corrupt("segment offsets out of range");
    // Segment 0 is the most significant byte; little-endian output puts it last in each sample.
    const start = bytesPerSample - 1 - s;
    const { written, end } = unpackSegment(data, from, to, out, start, bytesPerSample, pixelCount);
    if (written < pixelCount) {
      throw new ImagingError("truncated", "The RLE-compressed DICOM frame ends early: the file is truncated.");
    }
    if (to - end > SEGMENT_SLACK) {
      throw new ImagingError(
        "header_mismatch",
        `The RLE-compressed DICOM frame holds more pixels than its header's ${pixelCount} (Rows x Columns): the header does not match the data.`,
      );
    }
  }
  return out;
}
