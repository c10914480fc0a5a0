// Test-only: writes small DICOM Part 10 files (explicit VR little endian encoding of the dataset),
// so tests can cover attributes the fixtures lack (windows, VOI LUT, signed data, multi-frame,
// high-bit layouts, unsupported syntaxes) and the fuzz test has seeds when fixtures are absent.
import { seededRandom } from "@/lib/model-builder/densenet/random-weights";

export type DicomValue = string | number[] | Uint8Array | Uint16Array | DicomElement[][];

export interface DicomElement {
  /** 0xGGGGEEEE */
  tag: number;
  vr: string;
  value: DicomValue;
}

const LONG_VRS = new Set(["OB", "OW", "OF", "OD", "OL", "SQ", "UT", "UN", "UC", "UR"]);

function u16(n: number): Uint8Array {
  return new Uint8Array([n & 0xff, (n >> 8) & 0xff]);
}
function u32(n: number): Uint8Array {
  return new Uint8Array([n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]);
}
function cat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function valueBytes(vr: string, value: DicomValue): Uint8Array {
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "latin1");
    if (bytes.length % 2 === 0) return bytes;
    return cat([bytes, new Uint8Array([vr === "UI" || vr === "OB" ? 0 : 0x20])]);
  }
  if (value instanceof Uint16Array) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof Uint8Array) return value.length % 2 === 0 ? value : cat([value, new Uint8Array(1)]);
  if (Array.isArray(value) && value.length > 0 && Array.isArray(value[0])) {
    throw new Error("sequence handled separately");
  }
  const nums = value as number[];
  switch (vr) {
    case "US":
      return cat(nums.map(u16));
    case "SS":
      return cat(nums.map((n) => u16(n & 0xffff)));
    case "UL":
      return cat(nums.map(u32));
    default:
      throw new Error(`numeric VR ${vr} not supported by the test writer`);
  }
}

function header(tag: number, vr: string, length: number): Uint8Array {
  const group = tag >>> 16;
  const element = tag & 0xffff;
  const head = cat([u16(group), u16(element), Buffer.from(vr, "latin1")]);
  return LONG_VRS.has(vr) ? cat([head, new Uint8Array(2), u32(length)]) : cat([head, u16(length)]);
}

export function encodeElement(el: DicomElement): Uint8Array {
  if (el.vr === "SQ") {
    const items = (el.value as DicomElement[][]).map((item) => {
      const body = cat(item.map(encodeElement));
      return cat([u16(0xfffe), u16(0xe000), u32(body.length), body]);
    });
    const body = cat(items);
    return cat([header(el.tag, "SQ", body.length), body]);
  }
  const bytes = valueBytes(el.vr, el.value);
  return cat([header(el.tag, el.vr, bytes.length), bytes]);
}

/** Encapsulated pixel data: empty or given basic offset table, then one item per fragment. */
export function encapsulatedPixelData(fragments: Uint8Array[], offsets: number[] = []): Uint8Array {
  const item = (b: Uint8Array) => {
    const even = b.length % 2 === 0 ? b : cat([b, new Uint8Array(1)]);
    return cat([u16(0xfffe), u16(0xe000), u32(even.length), even]);
  };
  return cat([
    u16(0x7fe0),
    u16(0x0010),
    Buffer.from("OB", "latin1"),
    new Uint8Array(2),
    u32(0xffffffff),
    item(cat(offsets.map(u32))),
    ...fragments.map(item),
    u16(0xfffe),
    u16(0xe0dd),
    u32(0),
  ]);
}

export interface ImageSpec {
  rows: number;
  columns: number;
  bitsAllocated?: number;
  bitsStored?: number;
  highBit?: number;
  pixelRepresentation?: 0 | 1;
  photometric?: string;
  samplesPerPixel?: number;
  frames?: number;
  transferSyntax?: string;
  /** Native pixel data (little-endian) or encapsulated fragments. */
  pixels: Uint8Array | Uint16Array | { fragments: Uint8Array[]; offsets?: number[] };
  extra?: DicomElement[];
}

export function writeDicom(spec: ImageSpec): Buffer {
  const ts = spec.transferSyntax ?? "1.2.840.10008.1.2.1";
  const ba = spec.bitsAllocated ?? 16;
  const bs = spec.bitsStored ?? ba;
  const metaElements = [
    encodeElement({ tag: 0x00020001, vr: "OB", value: new Uint8Array([0, 1]) }),
    encodeElement({ tag: 0x00020002, vr: "UI", value: "1.2.840.10008.5.1.4.1.1.1.1" }),
    encodeElement({ tag: 0x00020003, vr: "UI", value: "1.2.3.4.5.6.7" }),
    encodeElement({ tag: 0x00020010, vr: "UI", value: ts }),
    encodeElement({ tag: 0x00020012, vr: "UI", value: "1.2.3.4" }),
  ];
  const metaBody = cat(metaElements);
  const meta = cat([encodeElement({ tag: 0x00020000, vr: "UL", value: [metaBody.length] }), metaBody]);

  const elements: DicomElement[] = [
    { tag: 0x00080060, vr: "CS", value: "DX" },
    { tag: 0x00280002, vr: "US", value: [spec.samplesPerPixel ?? 1] },
    { tag: 0x00280004, vr: "CS", value: spec.photometric ?? "MONOCHROME2" },
    ...(spec.frames !== undefined ? [{ tag: 0x00280008, vr: "IS", value: String(spec.frames) }] : []),
    { tag: 0x00280010, vr: "US", value: [spec.rows] },
    { tag: 0x00280011, vr: "US", value: [spec.columns] },
    { tag: 0x00280100, vr: "US", value: [ba] },
    { tag: 0x00280101, vr: "US", value: [bs] },
    { tag: 0x00280102, vr: "US", value: [spec.highBit ?? bs - 1] },
    { tag: 0x00280103, vr: "US", value: [spec.pixelRepresentation ?? 0] },
    ...(spec.extra ?? []),
  ];
  // Later entries with the same tag replace earlier ones, so `extra` can override defaults.
  const byTag = new Map<number, DicomElement>();
  for (const el of elements) byTag.set(el.tag, el);
  const sorted = [...byTag.values()].sort((a, b) => a.tag - b.tag);
  const body = cat(sorted.map(encodeElement));

  let pixelData: Uint8Array;
  if ("fragments" in spec.pixels) {
    pixelData = encapsulatedPixelData(spec.pixels.fragments, spec.pixels.offsets);
  } else {
    const px = spec.pixels;
    const bytes = px instanceof Uint16Array ? new Uint8Array(px.buffer, px.byteOffset, px.byteLength) : px;
    pixelData = encodeElement({ tag: 0x7fe00010, vr: ba === 8 ? "OB" : "OW", value: bytes });
  }
  return Buffer.from(cat([new Uint8Array(128), Buffer.from("DICM", "latin1"), meta, body, pixelData]));
}

/**
 * The project's one synthetic film, for every test, test data file and e2e upload: a bright body with
 * rib-like ripples, scaled to 0..maxval. With `noise` (a fraction of maxval), seeded grain is added:
 * films that differ by seed, and entropy-coded data with long codes. With `lungs` (0, 1, 2, ...), two
 * darker lung fields are drawn whose width and spread grow with it, plus an apical shadow on odd
 * values, so that even the untrained model scores such films apart.
 */
export function syntheticPixels(
  rows: number,
  columns: number,
  maxval: number,
  { noise = 0, seed = 1, lungs }: { noise?: number; seed?: number; lungs?: number } = {},
): number[] {
  const random = seededRandom(seed);
  const out: number[] = new Array(rows * columns);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      const u = x / columns - 0.5;
      const v = y / rows - 0.5;
      const body = Math.exp(-(u * u + v * v) * 6);
      const ribs = 0.15 * Math.sin(y / 3.7) * Math.cos(x / 11.3);
      const chest = lungs === undefined ? 0 : lungFields(2 * u, 2 * v, lungs);
      const grain = noise ? (random() - 0.5) * 2 * noise : 0;
      out[y * columns + x] = Math.round(Math.min(1, Math.max(0, 0.1 + 0.75 * body + ribs + chest + grain)) * maxval);
    }
  }
  return out;
}

/** Darkening by the lung fields at (dx, dy) in [-1, 1], plus the apical shadow of odd variants. */
function lungFields(dx: number, dy: number, variant: number): number {
  const lungs = Math.exp(-((Math.abs(dx) - 0.42 - 0.04 * variant) ** 2) / (0.04 + 0.01 * variant) - (dy * dy) / 0.5);
  const apex = variant % 2 ? 0.16 * Math.exp(-((dx - 0.4) ** 2 + (dy + 0.6) ** 2) / 0.02) : 0;
  return apex - 0.6 * lungs;
}
