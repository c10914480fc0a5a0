import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { fixturePath, SKIP_NOTE } from "@/test/support/imaging/fixtures";
import { readZooReference, zooModelDir, zooPresent } from "@/test/support/zoo-models";

// `npm run analyze` as a process with the converted ResNet-50 classifier as --model, the PSPNet as
// --anatomy-model and the view model as --view-model, on two fixture films: one with a measured CTR and
// the one whose heart mask is empty (ratio null). Two films, because a PSPNet pass costs ~20 s here.

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const FILMS = ["00027426_000.png", "siim-jpeg-baseline.dcm"];

interface Entry {
  file: string;
  ok: boolean;
  error?: string;
  model: { name: string; trained: boolean };
  findings: { label: string; logit: number; probability: number; calibrated: number | null; positive: boolean; assessed: boolean }[];
  cam: { shape: number[] } | null;
  anatomy: {
    ctr: { ratio: number | null; heartWidth: number; thoracicWidth: number; heartRow: number; thoracicRow: number };
    maskPixels: number[];
    film: { heart: { widthPx: number } | null; thorax: { widthPx: number } | null };
    findingZones: Record<string, string | null>;
  };
  view: { label: string; logits: number[] };
}

interface Refs {
  resnet: { labels: string[]; images: { file: string; logits: number[]; calibrated: number[] }[] };
  psp: { images: { file: string; mask_pixels: number[]; ctr: { heart: { width: number; row: number }; thorax: { width: number; row: number }; ratio: number | null } }[] };
  view: { images: { file: string; logits: number[] }[] };
}

describe.skipIf(!zooPresent)("npm run analyze with the release zoo", () => {
  if (!zooPresent) it.skip(SKIP_NOTE, () => {});
  let entries: Entry[];
  let refs: Refs;

  beforeAll(async () => {
    refs = { resnet: readZooReference("resnet50"), psp: readZooReference("pspnet"), view: readZooReference("view") };
    const [classifier, anatomy, view] = [await zooModelDir("resnet50"), await zooModelDir("pspnet"), await zooModelDir("view")];
    const args = ["--conditions=react-server", "lib/cli/analyze.ts", "--model", classifier, "--anatomy-model", anatomy, "--view-model", view, ...FILMS.map((f) => fixturePath("xrv", "images", f))];
    const { stdout } = await run(path.join(repoRoot, "node_modules/.bin/tsx"), args, { cwd: repoRoot, maxBuffer: 64 << 20 });
    entries = JSON.parse(stdout);
  }, 900_000);

  it("gives the ResNet-50's findings in the DenseNet's shape, with no score for the labels it does not assess", () => {
    FILMS.forEach((file, k) => {
      const e = entries[k];
      const want = refs.resnet.images.find((im) => im.file === file)!;
      expect(e.ok, e.error).toBe(true);
      expect(e.model).toMatchObject({ name: "resnet50-res512-all", trained: false });
      expect(e.findings.map((f) => f.label)).toEqual(refs.resnet.labels);
      expect(e.cam?.shape).toEqual([18, 16, 16]);
      e.findings.forEach((f, i) => {
        expect(Math.abs(f.logit - want.logits[i]), `${file} ${f.label}`).toBeLessThan(1e-3);
        if (f.label === "Lung Lesion" || f.label === "Enlarged Cardiomediastinum") expect(f).toMatchObject({ calibrated: null, assessed: false, positive: false });
        else expect(Math.abs((f.calibrated ?? Number.NaN) - want.calibrated[i]), `${file} ${f.label}`).toBeLessThan(1e-4);
      });
    });
  });

  it("prints anatomy.ctr and anatomy.maskPixels as the reference measures them", () => {
    FILMS.forEach((file, k) => {
      const { ctr, maskPixels, film } = entries[k].anatomy;
      const want = refs.psp.images.find((im) => im.file === file)!;
      expect(Math.abs(ctr.heartWidth - want.ctr.heart.width), `${file} heart`).toBeLessThanOrEqual(2);
      expect(Math.abs(ctr.thoracicWidth - want.ctr.thorax.width), `${file} thorax`).toBeLessThanOrEqual(2);
      if (want.ctr.ratio === null) {
        expect(ctr.ratio).toBeNull();
        expect(ctr.heartRow).toBe(-1);
        expect(film.heart).toBeNull();
      } else {
        expect(ctr.ratio).toBeCloseTo(ctr.heartWidth / ctr.thoracicWidth, 12);
        expect(Math.abs(ctr.heartRow - want.ctr.heart.row)).toBeLessThanOrEqual(2);
        expect(film.heart?.widthPx).toBeGreaterThan(0);
      }
      expect(maskPixels).toHaveLength(14);
      // Every positive finding (and only those) is placed: a zone name, or null outside both lungs.
      const { findingZones } = entries[k].anatomy;
      expect(Object.keys(findingZones).sort()).toEqual(entries[k].findings.filter((f) => f.positive).map((f) => f.label).sort());
      for (const zone of Object.values(findingZones)) if (zone !== null) expect(zone).toMatch(/^(left|right) (upper|middle|lower) zone$/);
      maskPixels.forEach((n, t) => expect(Math.abs(n - want.mask_pixels[t]), `${file} structure ${t}`).toBeLessThanOrEqual(262));
    });
  });

  it("prints view = {label, logits} from the view model", () => {
    FILMS.forEach((file, k) => {
      const { view } = entries[k];
      const want = refs.view.images.find((im) => im.file === file)!;
      view.logits.forEach((v, i) => expect(Math.abs(v - want.logits[i]), `${file} view logit ${i}`).toBeLessThan(1e-3));
      expect(view.label).toBe(want.logits[0] >= want.logits[1] ? "Frontal" : "Lateral");
    });
  });
});
