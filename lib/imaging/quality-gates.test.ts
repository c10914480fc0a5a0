import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { decodeImage, enforceQualityPolicy, qualityGates } from "./index";
import { syntheticPixels, writeDicom, type DicomElement } from "@/test/support/imaging/dicom-writer";
import { env } from "@/lib/env";

const S = 256;
const good = Uint16Array.from(syntheticPixels(S, S, 4095));

function dicom(extra: DicomElement[], pixels: Uint16Array = good, rows = S, columns = S) {
  return writeDicom({ rows, columns, bitsStored: 12, pixels, extra });
}
const codes = async (buf: Buffer) => (await decodeImage(buf, { qualityGates: "warn" })).warnings.map((w) => w.code);

describe("quality gates", () => {
  it("a frontal DX chest film of adequate size and contrast has no warnings", async () => {
    expect(await codes(dicom([{ tag: 0x00185101, vr: "CS", value: "PA" }]))).toEqual([]);
    expect(await codes(dicom([{ tag: 0x00185101, vr: "CS", value: "AP" }, { tag: 0x00080060, vr: "CS", value: "CR" }]))).toEqual([]);
  });

  it.each(["LL", "RL", "LAT", "LATERAL", "RLD", "LLO"])("view position %s is non-frontal", async (vp) => {
    expect(await codes(dicom([{ tag: 0x00185101, vr: "CS", value: vp }]))).toContain("non_frontal_view");
  });

  it("modalities other than CR/DX are flagged", async () => {
    expect(await codes(dicom([{ tag: 0x00080060, vr: "CS", value: "CT" }]))).toContain("non_radiograph_modality");
    expect(await codes(dicom([{ tag: 0x00080060, vr: "CS", value: "OT" }]))).toContain("non_radiograph_modality");
  });

  it("images smaller than the model input are flagged", async () => {
    const small = Uint16Array.from(syntheticPixels(100, 180, 4095));
    expect(await codes(dicom([], small, 100, 180))).toContain("smaller_than_model_input");
  });

  it("very low contrast is flagged: a flat image, and 12-bit data in a 16-bit PNG", async () => {
    const flat = new Uint16Array(S * S).fill(2000);
    for (let i = 0; i < flat.length; i += 97) flat[i] = 2100;
    expect(await codes(dicom([], flat))).toContain("low_contrast");
    const png16 = await sharp(good, { raw: { width: S, height: S, channels: 1 } }).toColourspace("grey16").png().toBuffer();
    expect(await codes(png16)).toContain("low_contrast");
  });

  it("colour pictures are not radiographs", async () => {
    const rgb = new Uint8Array(S * S * 3);
    for (let i = 0; i < S * S; i++) rgb.set([(i * 13) % 256, (i * 7) % 256, 90], i * 3);
    const png = await sharp(rgb, { raw: { width: S, height: S, channels: 3 } }).png().toBuffer();
    expect(await codes(png)).toContain("not_a_radiograph");
  });

  it("QUALITY_GATES=refuse turns image warnings into a 422 with the reasons, multi-frame alone is not refused", async () => {
    expect(env.QUALITY_GATES).toBe("warn");
    const lateral = dicom([{ tag: 0x00185101, vr: "CS", value: "LL" }]);
    const err = decodeImage(lateral, { qualityGates: "refuse" });
    await expect(err).rejects.toMatchObject({ code: "quality_refused", httpStatus: 422 });
    await expect(err).rejects.toThrow(/View position is LL/);
    await expect(err).rejects.toHaveProperty("details.warnings.0.code", "non_frontal_view");
    expect(() => enforceQualityPolicy([{ code: "multi_frame", message: "x" }], "refuse")).not.toThrow();
    expect(() => enforceQualityPolicy([{ code: "low_contrast", message: "x" }], "warn")).not.toThrow();
  });

  it("qualityGates can be re-run on a decoded image (pure function of it)", async () => {
    const d = await decodeImage(dicom([{ tag: 0x00185101, vr: "CS", value: "LATERAL" }]));
    expect(qualityGates(d).map((w) => w.code)).toEqual(["non_frontal_view"]);
  });
});

describe("robust spread from stored levels", () => {
  it("equals robustSpread of the model-scale pixels, 8 and 16 bit, small and sampled (over 500k pixels)", async () => {
    const { robustSpread, robustSpreadOfLevels } = await import("./quality-gates");
    const { scaleLut } = await import("./xrv-scale");
    let seed = 5;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const [n, maxval] of [[300 * 200, 255], [300 * 200, 65535], [1100 * 900, 255], [1100 * 900, 4095 * 16], [5000, 65535]] as const) {
      for (const shape of ["uniform", "narrow", "bimodal"]) {
        const levels = maxval === 255 ? new Uint8Array(n) : new Uint16Array(n);
        for (let i = 0; i < n; i++) {
          const u = rand();
          const v = shape === "uniform" ? u : shape === "narrow" ? 0.5 + 0.02 * u : u < 0.5 ? 0.1 * u : 0.9 + 0.1 * u;
          levels[i] = Math.min(maxval, Math.floor(v * (maxval + 1)));
        }
        const lut = scaleLut(maxval);
        const pixels = Float32Array.from(levels, (v) => lut[v]);
        expect(robustSpreadOfLevels(levels, n, maxval), `${n} px, maxval ${maxval}, ${shape}`).toBe(robustSpread(pixels));
      }
    }
  });
});
