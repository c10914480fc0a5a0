// Test-only encoders, so codec paths are covered without the shared fixtures: DICOM RLE, a minimal
// JPEG lossless (process 14, SV1) writer, and JPEG-LS / JPEG 2000 through the encoders that ship
// in the same cornerstonejs codec packages the decoders come from.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** DICOM RLE: one PackBits segment per byte plane, most significant first, literal runs only. */
export function encodeRle(samples: Uint16Array | Uint8Array, bytesPerSample: 1 | 2): Uint8Array {
  const segments: Uint8Array[] = [];
  for (let s = 0; s < bytesPerSample; s++) {
    const shift = (bytesPerSample - 1 - s) * 8;
    const plane = Uint8Array.from(samples, (v) => (v >> shift) & 0xff);
    const out: number[] = [];
    for (let i = 0; i < plane.length; ) {
      // Replicate runs of 3+ equal bytes, literal otherwise: both branches of the decoder get used.
      let run = 1;
      while (i + run < plane.length && run < 128 && plane[i + run] === plane[i]) run++;
      if (run >= 3) {
        out.push(257 - run, plane[i]);
        i += run;
      } else {
        const len = Math.min(128, plane.length - i);
        out.push(len - 1, ...plane.subarray(i, i + len));
        i += len;
      }
    }
    if (out.length % 2) out.push(128); // no-op byte keeps segments even-length
    segments.push(Uint8Array.from(out));
  }
  const header = new Uint8Array(64);
  const view = new DataView(header.buffer);
  view.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((seg, i) => {
    view.setUint32(4 + 4 * i, offset, true);
    offset += seg.length;
  });
  const total = new Uint8Array(offset);
  total.set(header, 0);
  let o = 64;
  for (const seg of segments) {
    total.set(seg, o);
    o += seg.length;
  }
  return total;
}

/** JPEG lossless, process 14, predictor 1, one component, a flat 5-bit Huffman table. */
export function encodeJpegLossless(samples: Uint16Array | Uint8Array, width: number, height: number, precision: number): Uint8Array {
  const bytes: number[] = [0xff, 0xd8];
  const segment = (marker: number, body: number[]) => bytes.push(0xff, marker, ((body.length + 2) >> 8) & 0xff, (body.length + 2) & 0xff, ...body);
  const bits = new Array(16).fill(0);
  bits[4] = 17; // 17 codes of length 5 for SSSS categories 0..16
  segment(0xc4, [0x00, ...bits, ...Array.from({ length: 17 }, (_, i) => i)]);
  segment(0xc3, [precision, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]);
  segment(0xda, [1, 1, 0x00, 1, 0, 0]);

  let acc = 0;
  let nbits = 0;
  const put = (value: number, n: number) => {
    for (let i = n - 1; i >= 0; i--) {
      acc = (acc << 1) | ((value >> i) & 1);
      if (++nbits === 8) {
        bytes.push(acc);
        if (acc === 0xff) bytes.push(0x00);
        acc = 0;
        nbits = 0;
      }
    }
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = samples[y * width + x];
      const pred = x > 0 ? samples[y * width + x - 1] : y > 0 ? samples[(y - 1) * width] : 1 << (precision - 1);
      let diff = (v - pred) & 0xffff;
      if (diff >= 0x8000) diff -= 0x10000;
      const mag = Math.abs(diff);
      const ssss = diff === 0 ? 0 : mag === 32768 ? 16 : 32 - Math.clz32(mag);
      put(ssss, 5);
      if (ssss > 0 && ssss < 16) put(diff > 0 ? diff : (diff - 1) & ((1 << ssss) - 1), ssss);
    }
  }
  if (nbits > 0) put(0xff, 8 - nbits);
  bytes.push(0xff, 0xd9);
  return Uint8Array.from(bytes);
}

interface EncoderModule {
  JpegLSEncoder?: new () => EmEncoder;
  J2KEncoder?: new () => EmEncoder;
  HTJ2KEncoder?: new () => EmEncoder;
}
interface EmEncoder {
  getDecodedBuffer(info: object): Uint8Array;
  setQuality?(reversible: boolean, quantizationStep: number): void;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  delete(): void;
}

async function emEncode(
  pkg: string,
  cls: keyof EncoderModule,
  samples: Uint16Array | Uint8Array,
  width: number,
  height: number,
  bits: number,
  configure?: (enc: EmEncoder) => void,
) {
  const factory = require(pkg) as (o?: object) => Promise<EncoderModule>;
  const mod = await factory({ print: () => {}, printErr: () => {} });
  const Encoder = mod[cls]!;
  const enc = new Encoder();
  try {
    configure?.(enc);
    const input = enc.getDecodedBuffer({ width, height, bitsPerSample: bits, componentCount: 1, isSigned: false, isUsingColorTransform: false });
    const bytes = samples instanceof Uint16Array ? new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength) : samples;
    input.set(bytes);
    enc.encode();
    return new Uint8Array(enc.getEncodedBuffer());
  } finally {
    enc.delete();
  }
}

export function encodeJpegLs(samples: Uint16Array | Uint8Array, width: number, height: number, bits: number) {
  return emEncode("@cornerstonejs/codec-charls/wasmjs", "JpegLSEncoder", samples, width, height, bits);
}

export function encodeJpeg2000(samples: Uint16Array | Uint8Array, width: number, height: number, bits: number) {
  return emEncode("@cornerstonejs/codec-openjpeg/wasmjs", "J2KEncoder", samples, width, height, bits);
}

/** High-Throughput JPEG 2000 by OpenJPH's encoder: reversible, or irreversible with a quantisation step. */
export function encodeHtj2k(samples: Uint16Array | Uint8Array, width: number, height: number, bits: number, opts: { lossyStep?: number } = {}) {
  return emEncode("@cornerstonejs/codec-openjph", "HTJ2KEncoder", samples, width, height, bits, (enc) => {
    if (opts.lossyStep !== undefined) enc.setQuality!(false, opts.lossyStep);
  });
}
