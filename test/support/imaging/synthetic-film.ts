// The synthetic film (syntheticPixels) as an 8-bit greyscale PNG upload, for tests that need chest-like
// images without fixtures. Each seed gives different bytes (a different sha256); `lungs` adds the
// lung fields of that variant (for films the untrained model must score apart).
import zlib from "node:zlib";
import sharp from "sharp";
import { syntheticPixels } from "./dicom-writer";

export async function syntheticFilmPng(seed: number, size = 320, { lungs }: { lungs?: number } = {}): Promise<Buffer> {
  const px = Uint8Array.from(syntheticPixels(size, size, 255, { noise: 0.03, seed, lungs }));
  return sharp(px, { raw: { width: size, height: size, channels: 1 } }).png().toBuffer();
}

/**
 * The same picture in other bytes: `png` with a tEXt comment `label` after its header, so another
 * sha256 (a new upload to the app, renderings and all) for next to nothing, where a new film costs its
 * maker some 30 ms of CPU (a benchmark's client would take that from the app it measures).
 */
export function relabeledPng(png: Buffer, label: string): Buffer {
  const IHDR_END = 8 + 4 + 4 + 13 + 4;
  if (png.length < IHDR_END || png.toString("latin1", 12, 16) !== "IHDR") throw new Error("not a PNG");
  const data = Buffer.from(`Comment\0${label}`, "latin1");
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write("tEXt", 4, "latin1");
  data.copy(chunk, 8);
  chunk.writeUInt32BE(zlib.crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return Buffer.concat([png.subarray(0, IHDR_END), chunk, png.subarray(IHDR_END)]);
}
