import crypto from "node:crypto";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { decodeImage, validateUpload } from "@/lib/imaging";
import { relabeledPng, syntheticFilmPng } from "./synthetic-film";

const sha = (b: Buffer) => crypto.createHash("sha256").update(b).digest("hex");

describe("relabeledPng", () => {
  it("is the same picture in other bytes, accepted and decoded as the original", async () => {
    const png = await syntheticFilmPng(3, 128);
    const a = relabeledPng(png, "bench 1");
    const b = relabeledPng(png, "bench 2");
    expect(new Set([sha(png), sha(a), sha(b)]).size).toBe(3);
    const pixels = async (x: Buffer) => (await sharp(x).raw().toBuffer({ resolveWithObject: true })).data;
    expect((await pixels(a)).equals(await pixels(png))).toBe(true);
    expect((await validateUpload(a, { maxBytes: 1 << 20, fileName: "a.png" })).format).toBe("png");
    const [original, copy] = await Promise.all([decodeImage(png, { fileName: "o.png" }), decodeImage(a, { fileName: "a.png" })]);
    expect(copy.metadata).toEqual(original.metadata);
  });

  it("refuses what is not a PNG", () => {
    expect(() => relabeledPng(Buffer.from("not a png at all, not even close to one"), "x")).toThrow(/not a PNG/);
  });
});
