// Test-only: small generated images in every format and DICOM encoding the decoder reads. Used by
// unit tests and as fuzz seeds (small files keep thousands of fuzz cases inside a CI minute).
import fs from "node:fs";
import zlib from "node:zlib";
import sharp from "sharp";
import { encodeHtj2k, encodeJpeg2000, encodeJpegLossless, encodeJpegLs, encodeRle } from "./encoders";
import { syntheticPixels, writeDicom, type DicomElement } from "./dicom-writer";

export interface GeneratedSeed {
  name: string;
  bytes: Buffer;
}

export const TS = {
  implicitLE: "1.2.840.10008.1.2",
  explicitLE: "1.2.840.10008.1.2.1",
  deflated: "1.2.840.10008.1.2.1.99",
  jpegBaseline: "1.2.840.10008.1.2.4.50",
  jpegLosslessSV1: "1.2.840.10008.1.2.4.70",
  jpegLs: "1.2.840.10008.1.2.4.80",
  j2kLossless: "1.2.840.10008.1.2.4.90",
  htj2kLossless: "1.2.840.10008.1.2.4.201",
  htj2k: "1.2.840.10008.1.2.4.203",
  rle: "1.2.840.10008.1.2.5",
} as const;

export function greySamples16(rows: number, columns: number, bitsStored: number): Uint16Array {
  return Uint16Array.from(syntheticPixels(rows, columns, 2 ** bitsStored - 1));
}

export function greySamples8(rows: number, columns: number): Uint8Array {
  return Uint8Array.from(syntheticPixels(rows, columns, 255));
}

const IDENTITY: DicomElement[] = [
  { tag: 0x00080020, vr: "DA", value: "20240131" },
  { tag: 0x00080050, vr: "SH", value: "ACC-7" },
  { tag: 0x00100010, vr: "PN", value: "SECRET^PATIENT" },
  { tag: 0x00100020, vr: "LO", value: "MRN-998877" },
  { tag: 0x00100040, vr: "CS", value: "F" },
  { tag: 0x00101010, vr: "AS", value: "045Y" },
  { tag: 0x00180015, vr: "CS", value: "CHEST" },
  { tag: 0x00185101, vr: "CS", value: "PA" },
];

/** Rewrites an explicit-LE file into the deflated syntax: same meta header, deflated dataset. */
export function deflateDicom(explicitLe: Buffer): Buffer {
  const tsOld = Buffer.from(TS.explicitLE + "\0", "latin1"); // even-length UI value as written
  const tsNew = Buffer.from(TS.deflated, "latin1"); // 22 chars, already even
  const metaLenPos = 128 + 4 + 8;
  const metaLen = explicitLe.readUInt32LE(metaLenPos);
  const metaEnd = metaLenPos + 4 + metaLen;
  const meta = Buffer.from(explicitLe.subarray(0, metaEnd));
  const at = meta.indexOf(tsOld);
  if (at < 0) throw new Error("transfer syntax not found");
  // Replace the UI value and its length (2 bytes before it).
  const grown = Buffer.concat([meta.subarray(0, at - 2), Buffer.from([tsNew.length, 0]), tsNew, meta.subarray(at + tsOld.length)]);
  grown.writeUInt32LE(metaLen + (tsNew.length - tsOld.length), metaLenPos);
  return Buffer.concat([grown, zlib.deflateRawSync(explicitLe.subarray(metaEnd))]);
}

export async function generatedSeeds(): Promise<GeneratedSeed[]> {
  const rows = 72;
  const columns = 80;
  const s12 = greySamples16(rows, columns, 12);
  const s8 = greySamples8(rows, columns);
  const base = { rows, columns, extra: IDENTITY };
  const explicit12 = writeDicom({ ...base, bitsAllocated: 16, bitsStored: 12, pixels: s12 });

  const seeds: GeneratedSeed[] = [
    { name: "explicit-le-12.dcm", bytes: explicit12 },
    { name: "explicit-le-8.dcm", bytes: writeDicom({ ...base, bitsAllocated: 8, bitsStored: 8, pixels: s8 }) },
    {
      name: "monochrome1-signed.dcm",
      bytes: writeDicom({ ...base, bitsStored: 12, pixelRepresentation: 1, photometric: "MONOCHROME1", pixels: s12 }),
    },
    { name: "deflated-12.dcm", bytes: deflateDicom(explicit12) },
    { name: "rle-12.dcm", bytes: writeDicom({ ...base, bitsStored: 12, transferSyntax: TS.rle, pixels: { fragments: [encodeRle(s12, 2)] } }) },
    {
      name: "jpeg-lossless-12.dcm",
      bytes: writeDicom({ ...base, bitsStored: 12, transferSyntax: TS.jpegLosslessSV1, pixels: { fragments: [encodeJpegLossless(s12, columns, rows, 12)] } }),
    },
    {
      name: "jpeg-ls-12.dcm",
      bytes: writeDicom({ ...base, bitsStored: 12, transferSyntax: TS.jpegLs, pixels: { fragments: [await encodeJpegLs(s12, columns, rows, 12)] } }),
    },
    {
      name: "j2k-12.dcm",
      bytes: writeDicom({ ...base, bitsStored: 12, transferSyntax: TS.j2kLossless, pixels: { fragments: [await encodeJpeg2000(s12, columns, rows, 12)] } }),
    },
    // Made by DCMTK (see data/make-jpeg-extended.ts): no encoder for 12-bit lossy JPEG exists in Node.
    { name: "jpeg12-lossy.dcm", bytes: fs.readFileSync(new URL("./data/jpeg12-gradient.dcm", import.meta.url)) },
    {
      name: "htj2k-12.dcm",
      bytes: writeDicom({ ...base, bitsStored: 12, transferSyntax: TS.htj2kLossless, pixels: { fragments: [await encodeHtj2k(s12, columns, rows, 12)] } }),
    },
  ];

  const grey = sharp(s8, { raw: { width: columns, height: rows, channels: 1 } }).toColourspace("b-w");
  const jpegGrey = await grey.clone().jpeg({ quality: 90 }).toBuffer();
  seeds.push(
    {
      name: "jpeg-baseline-8.dcm",
      bytes: writeDicom({ ...base, bitsAllocated: 8, bitsStored: 8, transferSyntax: TS.jpegBaseline, pixels: { fragments: [jpegGrey] } }),
    },
    { name: "grey8.png", bytes: await grey.clone().png().toBuffer() },
    { name: "grey16.png", bytes: await sharp(s12, { raw: { width: columns, height: rows, channels: 1 } }).toColourspace("grey16").png().toBuffer() },
    { name: "grey.jpg", bytes: jpegGrey },
    { name: "progressive.jpg", bytes: await sharp(s8, { raw: { width: columns, height: rows, channels: 1 } }).toColourspace("srgb").jpeg({ progressive: true }).toBuffer() },
    { name: "rgba.png", bytes: await sharp(s8, { raw: { width: columns, height: rows, channels: 1 } }).toColourspace("srgb").ensureAlpha(0.8).png().toBuffer() },
    { name: "grey.webp", bytes: await grey.clone().webp({ lossless: true }).toBuffer() },
    { name: "grey.tiff", bytes: await grey.clone().tiff().toBuffer() },
  );
  return seeds;
}
