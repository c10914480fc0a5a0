// Synthetic radiograph-like test pixels for the JPEG codec tests: a smooth field with a bright
// "mediastinum", dark "lungs" and, optionally, seeded noise (which exercises long Huffman codes).
import { seededRandom } from "@/lib/inference/densenet/random-weights";

export function jpegTestPixels(width: number, height: number, maxval: number, noise: number, seed = 7): Uint16Array {
  const random = seededRandom(seed);
  const out = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / (width - 1) - 0.5;
      const v = y / (height - 1) - 0.5;
      const lungs = Math.exp(-((Math.abs(u) - 0.22) ** 2 / 0.02 + v ** 2 / 0.08));
      const field = 0.55 + 0.35 * Math.exp(-(u ** 2) / 0.004) - 0.4 * lungs + 0.1 * v;
      const value = field * maxval + (random() - 0.5) * 2 * noise;
      out[y * width + x] = Math.max(0, Math.min(maxval, Math.round(value)));
    }
  }
  return out;
}
