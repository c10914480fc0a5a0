// Bytes of the first frame of Pixel Data, native or encapsulated, with every offset bounds-checked:
// dicom-parser records element lengths as written, which a truncated file no longer backs.
import "server-only";
import type { DataSet, Element } from "dicom-parser";
import { ImagingError } from "../errors";
import type { PixelModule } from "./pixel-module";
import { dicomParser } from "./parse";

const truncated = () =>
  new ImagingError("truncated", "The DICOM pixel data ends early: the file is truncated or damaged.");

export function nativeFrameBytes(header: PixelModule): number {
  return header.rows * header.columns * header.samplesPerPixel * (header.bitsAllocated / 8);
}

/**
 * More bytes than Rows x Columns x Bits Allocated x frames describe (beyond the one pad byte that keeps
 * a value even) means the header lies: halved Columns or Bits Allocated 8 on 16-bit data would
 * otherwise be read as a scrambled or cropped film.
 */
export function checkNoSurplus(actual: number, header: PixelModule, frames: number): void {
  const expected = nativeFrameBytes(header) * frames;
  if (actual <= expected + 1) return;
  const layout = `${header.columns} x ${header.rows} pixels at ${header.bitsAllocated} bits allocated${frames > 1 ? `, ${frames} frames` : ""}`;
  throw new ImagingError(
    "header_mismatch",
    `The DICOM pixel data holds ${actual} bytes but its header (${layout}) describes ${expected}: ` +
      "Rows, Columns, Bits Allocated or Number of Frames do not match the data.",
  );
}

/**
 * Multi-frame native data must hold every frame whole: with Columns raised by one, the first frame
 * alone still fits and would be read sheared, so frames x frame size is checked against the data.
 */
function checkFramesFilled(ds: DataSet, el: Element, header: PixelModule): void {
  if (header.frames <= 1) return;
  const expected = nativeFrameBytes(header) * header.frames;
  if (el.length >= expected) {
    if (el.dataOffset + expected > ds.byteArray.length) throw truncated();
    return;
  }
  throw new ImagingError(
    "header_mismatch",
    `The DICOM pixel data holds ${el.length} bytes but its header (${header.columns} x ${header.rows} pixels at ` +
      `${header.bitsAllocated} bits allocated, ${header.frames} frames) describes ${expected}: ` +
      "Rows, Columns, Bits Allocated or Number of Frames do not match the data.",
  );
}

function readNative(ds: DataSet, el: Element, header: PixelModule): Uint8Array {
  const need = nativeFrameBytes(header);
  if (el.length === 0xffffffff || el.encapsulatedPixelData) {
    throw new ImagingError("corrupt", "Uncompressed DICOM pixel data is encoded as if it were compressed.");
  }
  if (el.length < need || el.dataOffset + need > ds.byteArray.length) throw truncated();
  checkNoSurplus(el.length, header, header.frames);
  checkFramesFilled(ds, el, header);
  return ds.byteArray.subarray(el.dataOffset, el.dataOffset + need);
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function readEncapsulated(ds: DataSet, el: Element, header: PixelModule): Uint8Array {
  const fragments = el.fragments ?? [];
  if (!el.encapsulatedPixelData || fragments.length === 0) {
    throw new ImagingError("corrupt", "Compressed DICOM pixel data holds no fragments.");
  }
  for (const f of fragments) {
    if (f.position < 0 || f.length < 0 || f.position + f.length > ds.byteArray.length) throw truncated();
  }
  const bytes = (i: number) => ds.byteArray.subarray(fragments[i].position, fragments[i].position + fragments[i].length);

  // One frame: every fragment belongs to it.
  if (header.frames === 1) return concat(fragments.map((_, i) => bytes(i)));
  // One fragment per frame is the common multi-frame layout.
  if (fragments.length === header.frames) return bytes(0);

  const bot = el.basicOffsetTable ?? [];
  if (bot.length > 0) {
    // Fragments of frame 0 are those whose offset (from the first fragment) is below the next entry.
    const end = bot.length > 1 ? bot[1] : Number.POSITIVE_INFINITY;
    const parts = fragments.filter((f) => f.offset < end).map((f) => ds.byteArray.subarray(f.position, f.position + f.length));
    if (parts.length === 0) throw new ImagingError("corrupt", "The DICOM offset table does not match its fragments.");
    return concat(parts);
  }
  if (header.transferSyntax.encoding === "jpeg-baseline" || header.transferSyntax.encoding === "jpeg-lossless") {
    // JPEG frames start with an SOI marker; dicom-parser can rebuild the offset table from them.
    const table = dicomParser.createJPEGBasicOffsetTable(ds, el);
    return dicomParser.readEncapsulatedImageFrame(ds, el, 0, table) as Uint8Array;
  }
  // Without an offset table the frame boundary is unknowable for other codecs; the first fragment
  // is the best guess and the codec reports if it is incomplete.
  return bytes(0);
}

export function readFirstFrame(ds: DataSet, header: PixelModule): Uint8Array {
  const el = ds.elements.x7fe00010;
  if (!el) throw new ImagingError("corrupt", "The DICOM file holds no pixel data.");
  return header.transferSyntax.encoding === "native" ? readNative(ds, el, header) : readEncapsulated(ds, el, header);
}
