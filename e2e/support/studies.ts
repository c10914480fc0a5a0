// Files to upload in end-to-end tests: the shared fixture radiographs when ../shared/fixtures is present
// (CI clones the repo with shared/ beside it), else a PNG and a 12-bit DICOM generated here, so the
// specs run either way and say which they used.
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { syntheticPixels, writeDicom } from "../../lib/imaging/testing/dicom-writer";

export interface StudyUpload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

const fixtures = path.resolve("../shared/fixtures");
export const fixturesPresent = fs.existsSync(path.join(fixtures, "xrv", "reference.json"));

async function generatedPng(): Promise<Buffer> {
  const size = 512;
  const px = Buffer.alloc(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = (x - size / 2) / (size / 2);
      const dy = (y - size / 2) / (size / 2);
      const lungs = Math.exp(-((Math.abs(dx) - 0.45) ** 2) / 0.05 - (dy * dy) / 0.6);
      px[y * size + x] = Math.max(0, Math.min(255, Math.round(210 - 150 * lungs + 5 * Math.sin(x * 0.2))));
    }
  }
  return sharp(px, { raw: { width: size, height: size, channels: 1 } }).png().toBuffer();
}

function generatedDicom(): Buffer {
  const rows = 512;
  const columns = 430;
  return writeDicom({ rows, columns, bitsAllocated: 16, bitsStored: 12, pixels: Uint16Array.from(syntheticPixels(rows, columns, 4095)) });
}

/** A PNG and a DICOM radiograph whose file names carry `tag`, so a spec can find exactly its own uploads. */
export async function pngAndDicom(tag: string): Promise<{ png: StudyUpload; dicom: StudyUpload; source: "fixtures" | "generated" }> {
  if (fixturesPresent) {
    return {
      source: "fixtures",
      png: { name: `${tag}-chest.png`, mimeType: "image/png", buffer: fs.readFileSync(path.join(fixtures, "xrv", "images", "00000001_000.png")) },
      dicom: { name: `${tag}-chest.dcm`, mimeType: "application/dicom", buffer: fs.readFileSync(path.join(fixtures, "dicom", "dx-12bit-explicit-le.dcm")) },
    };
  }
  return {
    source: "generated",
    png: { name: `${tag}-chest.png`, mimeType: "image/png", buffer: await generatedPng() },
    dicom: { name: `${tag}-chest.dcm`, mimeType: "application/dicom", buffer: generatedDicom() },
  };
}

/** A file that claims to be a PNG but is damaged after its signature. */
export function corruptPng(tag: string): StudyUpload {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return { name: `${tag}-broken.png`, mimeType: "image/png", buffer: Buffer.concat([signature, Buffer.alloc(2048, 0x41)]) };
}
