// Chest-like greyscale PNGs made in the test (no fixtures needed): a bright mediastinum, darker lungs,
// soft noise from a seeded generator, so each seed gives different bytes and a different sha256.
import sharp from "sharp";

export async function syntheticChestPng(seed: number, size = 320): Promise<Buffer> {
  let s = seed >>> 0 || 1;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const px = Buffer.alloc(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = (x - size / 2) / (size / 2);
      const dy = (y - size / 2) / (size / 2);
      const lung = Math.exp(-((Math.abs(dx) - 0.45) ** 2) / 0.06 - dy ** 2 / 0.5);
      const v = 200 - 120 * lung + 20 * dy + 12 * (rand() - 0.5);
      px[y * size + x] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return sharp(px, { raw: { width: size, height: size, channels: 1 } }).png().toBuffer();
}
