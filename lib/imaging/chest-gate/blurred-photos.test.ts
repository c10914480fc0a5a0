// The chest-radiograph gate on pictures it was not tuned on: the not-xray photographs and pictures
// motion-blurred at test time (a horizontal box blur of 9 and 21 pixels, as a shaken camera gives),
// which lose the fine texture a photograph is otherwise told apart by, must still be flagged; and every
// fixture chest film (the tuberculosis film tb0005.png among them) must pass.
import fs from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { decodeImage } from "../index";
import { fixturePath, fixturesPresent, SKIP_NOTE } from "@/test/support/imaging/fixtures";

if (!fixturesPresent) console.warn(`[chest-gate blurred-photos.test] ${SKIP_NOTE}`);

const flagOf = async (bytes: Buffer) =>
  (await decodeImage(bytes, { qualityGates: "warn" })).warnings.find((w) => w.code === "not_a_radiograph")?.reason ?? null;

/** A horizontal motion blur of `length` pixels (odd). */
const motionBlur = (bytes: Buffer, length: number) =>
  sharp(bytes)
    .convolve({ width: length, height: 3, kernel: [...Array(length).fill(0), ...Array(length).fill(1), ...Array(length).fill(0)] })
    .png()
    .toBuffer();

describe.skipIf(!fixturesPresent)("the gate on motion-blurred photographs and on every fixture film", () => {
  it("flags every not-xray picture, sharp or motion-blurred", async () => {
    const dir = fixturePath("not-xray");
    const missed: string[] = [];
    for (const file of fs.readdirSync(dir)) {
      const original = fs.readFileSync(`${dir}/${file}`);
      for (const length of [0, 9, 21]) {
        const bytes = length ? await motionBlur(original, length) : original;
        if (!(await flagOf(bytes))) missed.push(`${file}${length ? ` blurred ${length} px` : ""}`);
      }
    }
    expect(missed).toEqual([]);
  }, 120_000);

  it("passes every fixture chest film, the tuberculosis film included", async () => {
    const dir = fixturePath("xrv", "images");
    const files = fs.readdirSync(dir);
    expect(files).toContain("tb0005.png");
    const flagged: string[] = [];
    for (const file of files) {
      const reason = await flagOf(fs.readFileSync(`${dir}/${file}`));
      if (reason) flagged.push(`${file} (${reason})`);
    }
    expect(flagged).toEqual([]);
  }, 120_000);
});
