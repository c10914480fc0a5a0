import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { fixturePath, readFixture, SKIP_NOTE } from "@/test/support/imaging/fixtures";
import type { Tensor } from "../checkpoint/tensor-data";
import { convertRelease } from "../convert";
import { detectReleaseForm } from "./detect-form";
import { zooPresent } from "@/test/support/zoo-models";

// Which release a checkpoint is, from its tensor names and shapes alone; a mismatch with what the caller
// expects is refused before anything is written.

const t = (...shape: number[]): Tensor => ({ dtype: "float32", shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
const resnet = (inChannels: number, outputs: number) =>
  new Map([
    ["conv1.weight", t(64, inChannels, 7, 7)],
    ["layer1.0.conv3.weight", t(256, 64, 1, 1)],
    ["fc.weight", t(outputs, 2048)],
  ]);

describe("release form detection", () => {
  it("tells the four forms apart by their tensors", () => {
    expect(detectReleaseForm({ tensors: new Map([["features.conv0.weight", t(64, 1, 7, 7)]]) })).toBe("densenet");
    expect(detectReleaseForm({ tensors: resnet(1, 18) })).toBe("resnet50-res512-all");
    expect(detectReleaseForm({ tensors: resnet(3, 1000) })).toBe("xinario-view");
    const psp = new Map([
      ["convbnrelu1_1.cbr_unit.0.weight", t(64, 3, 3, 3)],
      ["pyramid_pooling.path_module_list.0.cbr_unit.0.weight", t(512, 2048, 1, 1)],
    ]);
    expect(detectReleaseForm({ tensors: psp })).toBe("chestx-det-pspnet");
  });

  it("refuses a ResNet that is neither release, and a checkpoint of no known release, saying why", () => {
    expect(() => detectReleaseForm({ tensors: resnet(3, 18) })).toThrow(/3-channel conv1 and 18 outputs/);
    expect(() => detectReleaseForm({ tensors: new Map([["encoder.weight", t(4, 4)]]) })).toThrow(/not a known TorchXRayVision release.*encoder\.weight/);
  });
});

describe.skipIf(!zooPresent)("convertRelease with an expected form", () => {
  if (!zooPresent) it.skip(SKIP_NOTE, () => {});

  it("refuses the view model where the anatomy model was expected, writing nothing", async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), "cxr-expect-form-"));
    try {
      const out = path.join(tmp, "out");
      const checkpoint = fixturePath("zoo", "view", "xinario_chestViewSplit_resnet-50-seed1.pt.gz");
      await expect(convertRelease({ checkpoint, outDir: out, expectForm: "chestx-det-pspnet" })).rejects.toThrow(
        /xinario_chestViewSplit_resnet-50-seed1\.pt holds the xinario-view model, not chestx-det-pspnet/,
      );
      expect(existsSync(out)).toBe(false);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it("says a damaged gzip file does not unpack", async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), "cxr-bad-gz-"));
    try {
      const gz = gzipSync(readFixture("xrv", "models", "densenet121-xrv-seed1-state.pt"));
      const file = path.join(tmp, "cut.pt.gz");
      await writeFile(file, gz.subarray(0, gz.length >> 1));
      await expect(convertRelease({ checkpoint: file, outDir: path.join(tmp, "out") })).rejects.toThrow(/cut\.pt\.gz is gzip-compressed but does not unpack/);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
