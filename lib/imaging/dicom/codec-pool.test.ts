import { describe, expect, it } from "vitest";
import { decodeImage } from "../index";
import { writeDicom } from "@/test/support/imaging/dicom-writer";
import { encodeJpeg2000, encodeJpegLs } from "@/test/support/imaging/encoders";
import { greySamples16, TS } from "@/test/support/imaging/seeds";

describe("codec worker pool", () => {
  it("stops a frame that overruns its deadline with decode_timeout, then recovers", async () => {
    const n = 1024;
    const px = greySamples16(n, n, 12);
    const j2k = writeDicom({ rows: n, columns: n, bitsStored: 12, transferSyntax: TS.j2kLossless, pixels: { fragments: [await encodeJpeg2000(px, n, n, 12)] } });
    // A 1 MP JPEG 2000 frame cannot decode in 1 ms: the worker is terminated mid-decode.
    await expect(decodeImage(j2k, { codecTimeoutMs: 1 })).rejects.toMatchObject({ code: "decode_timeout", httpStatus: 422 });
    // A fresh worker takes over and the same file decodes normally.
    const d = await decodeImage(j2k);
    if (d.display.kind !== "dicom") throw new Error("expected DICOM");
    expect(d.display.stored[n * 512 + 300]).toBe(px[n * 512 + 300]);
  }, 60_000);

  it("decodes concurrent frames from different codecs correctly", async () => {
    const rows = 96;
    const columns = 128;
    const frames = [0, 1, 2, 3].map((k) => Uint16Array.from(greySamples16(rows, columns, 12), (v) => (v + k * 100) % 4096));
    const files = await Promise.all(
      frames.map(async (px, k) =>
        writeDicom({
          rows,
          columns,
          bitsStored: 12,
          transferSyntax: k % 2 ? TS.jpegLs : TS.j2kLossless,
          pixels: { fragments: [k % 2 ? await encodeJpegLs(px, columns, rows, 12) : await encodeJpeg2000(px, columns, rows, 12)] },
        }),
      ),
    );
    const decoded = await Promise.all(files.map((f) => decodeImage(f)));
    decoded.forEach((d, k) => {
      if (d.display.kind !== "dicom") throw new Error("expected DICOM");
      expect(Array.from(d.display.stored)).toEqual(Array.from(frames[k]));
    });
  });
});
