// A chest film for the admin/API specs: the shared fixture radiograph when present, else one drawn here.
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";

export async function studyImageBytes(): Promise<Buffer> {
  const fixture = path.resolve("../shared/fixtures/xrv/images/00000001_000.png");
  if (fs.existsSync(fixture)) return fs.readFileSync(fixture);
  const size = 448;
  const px = Buffer.alloc(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = (x - size / 2) / (size / 2);
      const dy = (y - size / 2) / (size / 2);
      px[y * size + x] = Math.round(205 - 140 * Math.exp(-((Math.abs(dx) - 0.45) ** 2) / 0.05 - (dy * dy) / 0.6) + 4 * Math.cos(y * 0.3));
    }
  }
  return sharp(px, { raw: { width: size, height: size, channels: 1 } }).png().toBuffer();
}

export async function studyImageUpload(name: string): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  return { name, mimeType: "image/png", buffer: await studyImageBytes() };
}
