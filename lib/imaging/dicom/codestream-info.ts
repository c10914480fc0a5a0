// Size and precision from the header of a JPEG / JPEG-LS / JPEG 2000 codestream, read before the
// codec runs. A codestream that claims other dimensions than the DICOM header (or huge ones) is
// refused here, so no decoder allocates for a size nobody checked.
import { ImagingError } from "../errors";

export interface CodestreamInfo {
  width: number;
  height: number;
  precision: number;
  components: number;
  /** JPEG only: the SOF marker (0xC0 baseline ... 0xC3 lossless, 0xF7 JPEG-LS). */
  sof?: number;
  signed?: boolean;
}

const corrupt = (what: string) => new ImagingError("corrupt", `The compressed DICOM frame is damaged (${what}).`);

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf, 0xf7]);

export function readJpegInfo(data: Uint8Array): CodestreamInfo {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) throw corrupt("no JPEG start-of-image marker");
  let p = 2;
  while (p + 4 <= data.length) {
    if (data[p] !== 0xff) throw corrupt("JPEG marker expected");
    const marker = data[p + 1];
    if (marker === 0xff) {
      p++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      p += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // EOI or start of scan before any frame header
    const length = (data[p + 2] << 8) | data[p + 3];
    if (length < 2 || p + 2 + length > data.length) throw corrupt("JPEG segment runs past the end");
    if (SOF_MARKERS.has(marker)) {
      if (length < 8) throw corrupt("short JPEG frame header");
      const precision = data[p + 4];
      const height = (data[p + 5] << 8) | data[p + 6];
      const width = (data[p + 7] << 8) | data[p + 8];
      const components = data[p + 9];
      return { width, height, precision, components, sof: marker };
    }
    p += 2 + length;
  }
  throw corrupt("no JPEG frame header");
}

function u32(d: Uint8Array, p: number): number {
  return ((d[p] << 24) >>> 0) + (d[p + 1] << 16) + (d[p + 2] << 8) + d[p + 3];
}

/** Where the SIZ marker starts: after SOC, in a raw codestream or inside a JP2 file's jp2c box. */
function sizOffset(data: Uint8Array): number {
  const limit = Math.min(data.length - 4, 65536);
  for (let i = 0; i <= limit; i++) {
    if (data[i] === 0xff && data[i + 1] === 0x4f && data[i + 2] === 0xff && data[i + 3] === 0x51) return i + 2;
  }
  throw corrupt("no JPEG 2000 codestream header");
}

export function readJ2kInfo(data: Uint8Array): CodestreamInfo {
  const p = sizOffset(data);
  if (p + 40 > data.length) throw corrupt("short JPEG 2000 header");
  const xsiz = u32(data, p + 6);
  const ysiz = u32(data, p + 10);
  const xosiz = u32(data, p + 14);
  const yosiz = u32(data, p + 18);
  const components = (data[p + 38] << 8) | data[p + 39];
  if (components < 1 || p + 40 + 3 > data.length) throw corrupt("JPEG 2000 header without components");
  const ssiz = data[p + 40];
  if (xsiz <= xosiz || ysiz <= yosiz) throw corrupt("empty JPEG 2000 image area");
  return {
    width: xsiz - xosiz,
    height: ysiz - yosiz,
    precision: (ssiz & 0x7f) + 1,
    signed: (ssiz & 0x80) !== 0,
    components,
  };
}

/**
 * The tile-parts of a JPEG 2000 codestream must end where the next tile-part or the end-of-codestream
 * marker starts: each SOT marker declares its tile-part's length (Psot). A codestream cut short with
 * EOC appended still ends with EOC, and OpenJPEG/OpenJPH then decode what arrived and leave the rest
 * blank or coarse; the declared lengths give the cut away before any codec runs.
 */
export function checkJ2kTileParts(data: Uint8Array, eoc: number): void {
  let p = sizOffset(data);
  // Main header: marker segments up to the first SOT.
  while (p + 4 <= eoc && !(data[p] === 0xff && data[p + 1] === 0x90)) {
    if (data[p] !== 0xff) throw corrupt("JPEG 2000 main header is damaged");
    p += 2 + ((data[p + 2] << 8) | data[p + 3]);
  }
  while (p < eoc) {
    if (p + 12 > eoc || data[p] !== 0xff || data[p + 1] !== 0x90) throw corrupt("JPEG 2000 tile-part lengths do not match the data");
    const psot = u32(data, p + 6);
    if (psot === 0) return; // the last tile-part runs to EOC by definition
    if (psot < 14 || p + psot > eoc) {
      throw new ImagingError("truncated", "The JPEG 2000 tile data ends before the length its header declares: the file is truncated.");
    }
    p += psot;
  }
  if (p !== eoc) throw corrupt("JPEG 2000 tile-part lengths do not match the data");
}
