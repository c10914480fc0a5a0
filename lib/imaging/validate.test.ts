import zlib from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { decodeImage, IMAGING_ERROR_CODES, IMAGING_ERROR_STATUS, ImagingError, validateUpload } from "./index";
import { env } from "@/lib/env";
import { writeDicom } from "@/test/support/imaging/dicom-writer";

/** A PNG that is only a header: claims any size, holds no pixels. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const idat = zlib.deflateSync(Buffer.alloc(0));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", idat), chunk("IEND", Buffer.alloc(0))]);
}

describe("ImagingError", () => {
  it("maps every code to a 4xx status the API can send", () => {
    for (const code of IMAGING_ERROR_CODES) {
      const e = new ImagingError(code, "A message for a person.");
      expect([400, 413, 415, 422]).toContain(e.httpStatus);
      expect(e.httpStatus).toBe(IMAGING_ERROR_STATUS[code]);
      expect(e).toBeInstanceOf(Error);
    }
    expect(IMAGING_ERROR_STATUS).toMatchObject({ empty_file: 400, too_large: 413, unsupported_format: 415, corrupt: 422 });
  });
});

describe("validateUpload / decodeImage input checks", () => {
  it("refuses an empty upload (400)", async () => {
    await expect(validateUpload(Buffer.alloc(0))).rejects.toMatchObject({ code: "empty_file", httpStatus: 400 });
    await expect(decodeImage(Buffer.alloc(0))).rejects.toMatchObject({ code: "empty_file" });
  });

  it("refuses a file over the limit (413), default MAX_UPLOAD_MB", async () => {
    const png = await sharp({ create: { width: 100, height: 100, channels: 3, background: "#000" } }).png().toBuffer();
    await expect(validateUpload(png, { maxBytes: 100 })).rejects.toMatchObject({ code: "too_large", httpStatus: 413 });
    // Default 50 unless the environment says otherwise.
    const big = Buffer.alloc(env.MAX_UPLOAD_MB * 1024 * 1024 + 1);
    big.set(png.subarray(0, 8));
    await expect(validateUpload(big)).rejects.toThrow(new RegExp(`limit is ${env.MAX_UPLOAD_MB} MB`));
  });

  it("refuses content that is no supported image (415), whatever the name says", async () => {
    for (const bytes of [Buffer.from("%PDF-1.7 hello"), Buffer.from("GIF89a.........."), Buffer.from("just text, named .png")]) {
      await expect(validateUpload(bytes, { fileName: "x.png" })).rejects.toMatchObject({ code: "unsupported_format", httpStatus: 415 });
    }
    const noPreamble = writeDicom({ rows: 64, columns: 64, pixels: new Uint16Array(64 * 64) }).subarray(132);
    const err = validateUpload(noPreamble, { fileName: "DOE_JANE.dcm" });
    await expect(err).rejects.toThrow(/DICOM Part 10 header/);
    await expect(err).rejects.not.toThrow(/DOE/); // file names are never echoed
  });

  it("reads dimensions from headers without decoding pixels", async () => {
    await expect(validateUpload(pngHeaderOnly(300, 200))).resolves.toMatchObject({ format: "png", width: 300, height: 200 });
    await expect(validateUpload(pngHeaderOnly(40, 2000))).rejects.toMatchObject({ code: "dimensions_out_of_range", httpStatus: 422 });
    await expect(validateUpload(pngHeaderOnly(20000, 100))).rejects.toMatchObject({ code: "dimensions_out_of_range" });
    // 12000 x 12000 passes the per-side limit but is 144 MP: a 100-byte decompression bomb.
    await expect(validateUpload(pngHeaderOnly(12000, 12000))).rejects.toMatchObject({ code: "decompression_bomb", httpStatus: 413 });
    await expect(decodeImage(pngHeaderOnly(12000, 12000))).rejects.toMatchObject({ code: "decompression_bomb" });
    const dcm = writeDicom({ rows: 20000, columns: 100, pixels: new Uint8Array(0) });
    await expect(validateUpload(dcm)).rejects.toMatchObject({ code: "dimensions_out_of_range" });
  });

  it("reports EXIF-rotated dimensions as displayed", async () => {
    const jpg = await sharp({ create: { width: 120, height: 80, channels: 3, background: "#888" } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    await expect(validateUpload(jpg)).resolves.toMatchObject({ format: "jpeg", width: 80, height: 120 });
  });

  it("accepts a plain Uint8Array as well as a Buffer", async () => {
    const png = await sharp({ create: { width: 70, height: 70, channels: 3, background: "#333" } }).png().toBuffer();
    const view = new Uint8Array(png.buffer.slice(png.byteOffset, png.byteOffset + png.length));
    await expect(decodeImage(view)).resolves.toMatchObject({ format: "png", width: 70, height: 70 });
  });

  it("a header-only PNG that passes validation still fails decoding with a typed error", async () => {
    await expect(decodeImage(pngHeaderOnly(300, 200))).rejects.toMatchObject({ name: "ImagingError", httpStatus: 422 });
  });
});
