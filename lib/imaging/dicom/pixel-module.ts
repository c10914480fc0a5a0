// The Image Pixel module of a DICOM dataset, read and checked before any pixel data is touched:
// dimensions are the decompression-bomb guard, photometric and bit depths decide the decoder path.
import type { DataSet } from "dicom-parser";
import { ImagingError } from "../errors";
import { checkDimensions } from "../validate-dimensions";
import { describeTransferSyntax, lookupTransferSyntax, type TransferSyntax } from "./transfer-syntaxes";

export interface PixelModule {
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: 0 | 1;
  samplesPerPixel: number;
  photometric: "MONOCHROME1" | "MONOCHROME2";
  frames: number;
  transferSyntax: TransferSyntax;
}

/** The DX image module allows 6 to 16 bits stored; fewer cannot hold a radiograph. */
const MIN_BITS_STORED = 6;

function required(ds: DataSet, tag: string, name: string): number {
  const v = ds.uint16(tag);
  if (v === undefined || !Number.isFinite(v)) {
    throw new ImagingError("corrupt", `The DICOM file lacks ${name} (${tag.slice(1, 5)},${tag.slice(5)}).`);
  }
  return v;
}

function clean(s: string | undefined): string {
  return (s ?? "").replace(/\0/g, "").trim();
}

export function readPixelModule(ds: DataSet, transferSyntaxUid: string): PixelModule {
  const transferSyntax = lookupTransferSyntax(transferSyntaxUid);
  if (!transferSyntax) {
    throw new ImagingError(
      "unsupported_transfer_syntax",
      `DICOM transfer syntax ${describeTransferSyntax(transferSyntaxUid)} (${transferSyntaxUid.slice(0, 64)}) is not supported. ` +
        "Export the image uncompressed, as JPEG lossless, JPEG-LS, JPEG 2000 or RLE.",
    );
  }
  if (!ds.elements.x7fe00010) {
    throw new ImagingError("corrupt", "The DICOM file holds no pixel data (7FE0,0010): it is not an image.");
  }

  const rows = required(ds, "x00280010", "Rows");
  const columns = required(ds, "x00280011", "Columns");
  checkDimensions(columns, rows);

  const samplesPerPixel = ds.uint16("x00280002") ?? 1;
  const photometric = clean(ds.string("x00280004")).toUpperCase();
  if (photometric !== "MONOCHROME1" && photometric !== "MONOCHROME2") {
    throw new ImagingError(
      "unsupported_photometric",
      `DICOM photometric interpretation ${photometric.slice(0, 16) || "(missing)"} is not supported: ` +
        "radiographs are MONOCHROME1 or MONOCHROME2 (colour and palette images are not radiographs).",
    );
  }
  if (samplesPerPixel !== 1) {
    throw new ImagingError(
      "unsupported_photometric",
      `A ${photometric} image must have one sample per pixel, this one declares ${samplesPerPixel}.`,
    );
  }

  const bitsAllocated = required(ds, "x00280100", "Bits Allocated");
  const bitsStored = required(ds, "x00280101", "Bits Stored");
  const highBit = ds.uint16("x00280102") ?? bitsStored - 1;
  const pr = ds.uint16("x00280103") ?? 0;
  if (bitsAllocated !== 8 && bitsAllocated !== 16) {
    throw new ImagingError(
      "unsupported_bit_depth",
      `DICOM images with ${bitsAllocated} bits allocated are not supported; 8 or 16 are.`,
    );
  }
  if (bitsStored < 1 || bitsStored > bitsAllocated || highBit < bitsStored - 1 || highBit >= bitsAllocated) {
    throw new ImagingError(
      "corrupt",
      `Inconsistent DICOM bit layout: ${bitsAllocated} allocated, ${bitsStored} stored, high bit ${highBit}.`,
    );
  }
  if (bitsStored < MIN_BITS_STORED) {
    // Masking 12-bit data to 1 or 2 bits leaves a black-and-white smear the model would still score.
    throw new ImagingError(
      "unsupported_bit_depth",
      `The DICOM header says ${bitsStored} bit${bitsStored === 1 ? "" : "s"} stored; a radiograph has at least ${MIN_BITS_STORED} (DICOM DX allows 6 to 16). The header is probably wrong.`,
    );
  }
  if (pr !== 0 && pr !== 1) {
    throw new ImagingError("corrupt", `Invalid DICOM Pixel Representation ${pr}.`);
  }

  const framesText = clean(ds.string("x00280008"));
  const frames = framesText === "" ? 1 : Number.parseInt(framesText, 10);
  if (!Number.isFinite(frames) || frames < 1) {
    throw new ImagingError("corrupt", `Invalid DICOM Number of Frames "${framesText.slice(0, 12)}".`);
  }

  return {
    rows,
    columns,
    bitsAllocated,
    bitsStored,
    highBit,
    pixelRepresentation: pr as 0 | 1,
    samplesPerPixel,
    photometric,
    frames,
    transferSyntax,
  };
}
