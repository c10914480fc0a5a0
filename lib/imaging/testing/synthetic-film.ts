// The synthetic film (syntheticPixels) as an 8-bit greyscale PNG upload, for tests that need chest-like
// images without fixtures. Each seed gives different bytes (a different sha256); `lungs` adds the
// lung fields of that variant (for films the untrained model must score apart).
import sharp from "sharp";
import { syntheticPixels } from "./dicom-writer";

export async function syntheticFilmPng(seed: number, size = 320, { lungs }: { lungs?: number } = {}): Promise<Buffer> {
  const px = Uint8Array.from(syntheticPixels(size, size, 255, { noise: 0.03, seed, lungs }));
  return sharp(px, { raw: { width: size, height: size, channels: 1 } }).png().toBuffer();
}
