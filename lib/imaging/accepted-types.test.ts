import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { UPLOAD_ACCEPT, UPLOAD_FORMAT_NAMES, UPLOAD_FORMATS } from "./accepted-types";
import { sniffFormat } from "./sniff";

async function samples(): Promise<Buffer[]> {
  const grey = sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 90, g: 90, b: 90 } } });
  const dicom = Buffer.concat([Buffer.alloc(128), Buffer.from("DICM"), Buffer.alloc(16)]);
  return [await grey.clone().png().toBuffer(), await grey.clone().jpeg().toBuffer(), await grey.clone().webp().toBuffer(), await grey.clone().tiff().toBuffer(), dicom];
}

describe("accepted upload types", () => {
  it("offer exactly the formats the server reads", async () => {
    const read = new Set((await samples()).map((b) => sniffFormat(b)));
    expect(read.has(null)).toBe(false);
    expect(new Set(Object.keys(UPLOAD_FORMATS))).toEqual(read);
  });

  it("list every extension and media type in the file dialog's accept, and name them all", () => {
    for (const f of Object.values(UPLOAD_FORMATS)) {
      for (const t of [...f.extensions, ...f.mimeTypes]) expect(UPLOAD_ACCEPT.split(",")).toContain(t);
      expect(UPLOAD_FORMAT_NAMES).toContain(f.name);
    }
    expect(UPLOAD_FORMAT_NAMES).toBe("PNG, JPEG, WebP, TIFF or DICOM");
  });
});
