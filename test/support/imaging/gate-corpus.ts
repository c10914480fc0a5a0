// Test-only: the corpus the chest-radiograph gate is tuned and measured on, built at run time from
// licence-clear sources only: the shared fixtures (real chest films; scikit-image's CC0/public-domain
// pictures in not-xray/) and pictures generated here from a seed (noise, gradients, stripes,
// checkerboards, blank and text pages, shapes, photo-like scenes). Nothing is copied into the repository.
import fs from "node:fs";
import sharp from "sharp";
import { seededRandom } from "@/lib/model-builder/densenet/random-weights";
import { syntheticPixels, writeDicom } from "./dicom-writer";
import { fixturePath, fixturesPresent } from "./fixtures";

export interface CorpusImage {
  name: string;
  family: string;
  /** True for chest radiographs (must pass the gate), false for everything else (must be flagged). */
  chest: boolean;
  bytes: Buffer;
}

/**
 * Families the gate's thresholds were chosen on (with the chest films' own ranges); the others were
 * not used to choose them. Their statistics were printed during design, though, so the strictest
 * figure is `unseen`: the same families drawn from a seed nobody looked at before reporting it.
 */
export const TUNING_FAMILIES = new Set(["noise", "gradient", "stripes", "shapes"]);
/** The seed of the design-time corpus, and of the one first drawn for the report. */
const DESIGN_SEED = 20261201;
const UNSEEN_SEED = 99_001;

type Draw = (x: number, y: number) => number;

function raster(size: [number, number], draw: Draw): Float64Array {
  const [w, h] = size;
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = draw(x / w, y / h);
  return out;
}

/** Encodes values in [0, 1] as 8-bit PNG, 8-bit JPEG, 16-bit PNG or 12-bit DICOM, by index. */
async function encode(values: Float64Array, w: number, h: number, k: number): Promise<Buffer> {
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const kind = k % 4;
  if (kind === 3) {
    const px = Uint16Array.from(values, (v) => Math.round(clamp(v) * 4095));
    return writeDicom({ rows: h, columns: w, bitsStored: 12, pixels: px });
  }
  if (kind === 2) {
    const px = Uint16Array.from(values, (v) => Math.round(clamp(v) * 65535));
    return sharp(px, { raw: { width: w, height: h, channels: 1 } }).toColourspace("grey16").png().toBuffer();
  }
  const px = Uint8Array.from(values, (v) => Math.round(clamp(v) * 255));
  const img = sharp(px, { raw: { width: w, height: h, channels: 1 } }).toColourspace("b-w");
  return kind === 1 ? img.jpeg({ quality: 88 }).toBuffer() : img.png().toBuffer();
}

/** Value noise: a random lattice at `cells` per side, bilinearly interpolated (clouds, textures). */
function valueNoise(random: () => number, cells: number): Draw {
  const lattice = Array.from({ length: (cells + 1) * (cells + 1) }, () => random());
  return (u, v) => {
    const gx = u * cells;
    const gy = v * cells;
    const x0 = Math.floor(gx);
    const y0 = Math.floor(gy);
    const fx = gx - x0;
    const fy = gy - y0;
    const l = (x: number, y: number) => lattice[Math.min(cells, y) * (cells + 1) + Math.min(cells, x)];
    return (l(x0, y0) * (1 - fx) + l(x0 + 1, y0) * fx) * (1 - fy) + (l(x0, y0 + 1) * (1 - fx) + l(x0 + 1, y0 + 1) * fx) * fy;
  };
}

function generators(random: () => number): Record<string, Draw[]> {
  const r = () => random();
  const gauss = () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  const ellipses = (n: number) =>
    Array.from({ length: n }, () => ({ cx: r(), cy: r(), rx: 0.05 + r() * 0.3, ry: 0.05 + r() * 0.3, v: r() }));
  const rects = (n: number) => Array.from({ length: n }, () => ({ x: r(), y: r(), w: 0.05 + r() * 0.4, h: 0.05 + r() * 0.4, v: r() }));
  const period = () => 0.02 + r() * 0.15;
  const angle = () => r() * Math.PI;
  return {
    noise: [
      () => r(),
      () => 0.5 + 0.15 * gauss(),
      () => (r() < 0.5 ? 0 : 1),
      (() => { const n = valueNoise(random, 8 + Math.floor(r() * 24)); return (u, v) => n(u, v) + 0.1 * r(); })(),
      (() => { const n = valueNoise(random, 3 + Math.floor(r() * 5)); return (u, v) => n(u, v); })(),
    ],
    gradient: [
      (u) => u,
      (_u, v) => v,
      (u, v) => (u + v) / 2,
      (u, v) => Math.hypot(u - 0.5, v - 0.5) * 1.4,
      (u, v) => 1 - Math.hypot(u - 0.5, v - 0.5) * 1.4,
      (() => { const a = angle(); return (u: number, v: number) => 0.5 + 0.5 * ((u - 0.5) * Math.cos(a) + (v - 0.5) * Math.sin(a)); })(),
    ],
    stripes: [
      (() => { const p = period(); return (u: number) => (Math.floor(u / p) % 2 ? 1 : 0); })(),
      (() => { const p = period(); return (_u: number, v: number) => (Math.floor(v / p) % 2 ? 1 : 0); })(),
      (() => { const p = period(); return (u: number) => 0.5 + 0.5 * Math.sin((2 * Math.PI * u) / p); })(),
      (() => { const p = period(); const a = angle(); return (u: number, v: number) => 0.5 + 0.5 * Math.sin((2 * Math.PI * (u * Math.cos(a) + v * Math.sin(a))) / p); })(),
    ],
    shapes: [
      (() => { const es = ellipses(6 + Math.floor(r() * 10)); return (u: number, v: number) => es.reduce((acc, e) => (((u - e.cx) / e.rx) ** 2 + ((v - e.cy) / e.ry) ** 2 < 1 ? e.v : acc), 0.3); })(),
      (() => { const rs = rects(5 + Math.floor(r() * 10)); return (u: number, v: number) => rs.reduce((acc, q) => (u > q.x && u < q.x + q.w && v > q.y && v < q.y + q.h ? q.v : acc), 0.8); })(),
    ],
    checkerboard: [
      (() => { const p = period(); return (u: number, v: number) => ((Math.floor(u / p) + Math.floor(v / p)) % 2 ? 1 : 0); })(),
      (() => { const p = period(); return (u: number, v: number) => ((Math.floor(u / p) + Math.floor(v / p)) % 2 ? 0.7 : 0.3) + 0.05 * r(); })(),
    ],
    page: [
      () => 1,
      () => 0,
      () => 0.5 + 0.01 * r(),
      (() => { const lines = Math.floor(15 + r() * 25); return (u: number, v: number) => (u > 0.1 && u < 0.9 && (v * lines) % 1 < 0.3 && r() < 0.5 ? 0.1 : 0.97); })(),
      (u, v) => (u < 0.05 || u > 0.95 || v < 0.05 || v > 0.95 ? 0 : 0.95),
    ],
    scene: [
      (() => { const n = valueNoise(random, 16); const es = ellipses(4); return (u: number, v: number) => (v < 0.45 ? 0.8 - 0.4 * v : 0.3 + 0.3 * n(u, v)) + es.reduce((a, e) => a + (((u - e.cx) / e.rx) ** 2 + ((v - e.cy) / e.ry) ** 2 < 1 ? 0.2 * (e.v - 0.5) : 0), 0); })(),
      (() => { const n = valueNoise(random, 6); const m = valueNoise(random, 40); return (u: number, v: number) => 0.6 * n(u, v) + 0.4 * m(u, v); })(),
      (() => { const cx = 0.3 + 0.4 * r(); const cy = 0.3 + 0.4 * r(); const n = valueNoise(random, 30); return (u: number, v: number) => (Math.hypot(u - cx, v - cy) < 0.25 ? 0.75 + 0.2 * n(u, v) : 0.2 + 0.2 * n(u, v)); })(),
    ],
  };
}

/** Generated non-radiographs: `perDraw` variants of every drawer of every family, sizes 256-1024. */
export async function generatedNonRadiographs(seed = DESIGN_SEED, perDraw = 3): Promise<CorpusImage[]> {
  const out: CorpusImage[] = [];
  let k = 0;
  for (let variant = 0; variant < perDraw; variant++) {
    const random = seededRandom(seed + variant * 7919);
    for (const [family, draws] of Object.entries(generators(random))) {
      for (const [d, draw] of draws.entries()) {
        const w = 256 + Math.floor(random() * 768);
        const h = Math.round(w * (0.8 + random() * 0.5));
        const bytes = await encode(raster([w, h], draw), w, h, k++);
        out.push({ name: `${family}-${d}-v${variant}`, family, chest: false, bytes });
      }
    }
  }
  return out;
}

/** The fixture chest films: every xrv/images file and all ten dicom/ encodings. */
export function fixtureChestFilms(): CorpusImage[] {
  if (!fixturesPresent) return [];
  const films = [
    ...fs.readdirSync(fixturePath("xrv", "images")).map((f) => ({ dir: ["xrv", "images"], f })),
    ...fs.readdirSync(fixturePath("dicom")).map((f) => ({ dir: ["dicom"], f })),
  ];
  return films.map(({ dir, f }) => ({ name: `${dir.join("/")}/${f}`, family: "fixture-film", chest: true, bytes: fs.readFileSync(fixturePath(...dir, f)) }));
}

/** scikit-image's sample pictures made grey (and the colour astronaut): medical and other non-chest images. */
export function fixtureNonRadiographs(): CorpusImage[] {
  if (!fixturesPresent) return [];
  return fs
    .readdirSync(fixturePath("not-xray"))
    .filter((f) => /\.(png|jpe?g)$/i.test(f))
    .map((f) => ({ name: `not-xray/${f}`, family: "not-xray", chest: false, bytes: fs.readFileSync(fixturePath("not-xray", f)) }));
}

/** The synthetic films other tests upload as radiographs (they must keep passing the gate). */
export async function syntheticFilms(): Promise<CorpusImage[]> {
  const { syntheticFilmPng } = await import("./synthetic-film");
  const out: CorpusImage[] = [];
  for (const [i, [rows, cols]] of [[256, 256], [300, 256], [512, 430]].entries()) {
    out.push({ name: `synthetic-dicom-${rows}x${cols}`, family: "synthetic-film", chest: true, bytes: writeDicom({ rows, columns: cols, bitsStored: 12, pixels: Uint16Array.from(syntheticPixels(rows, cols, 4095, { noise: i * 0.03, seed: i + 1 })) }) });
  }
  for (const seed of [1, 7, 11]) out.push({ name: `synthetic-png-${seed}`, family: "synthetic-film", chest: true, bytes: await syntheticFilmPng(seed, 320) });
  // The end-to-end suite's films, whose lung fields vary by seed.
  for (const seed of [0, 1, 2, 3, 4]) out.push({ name: `synthetic-lungs-${seed}`, family: "synthetic-film", chest: true, bytes: await syntheticFilmPng(seed, 512, { lungs: seed }) });
  return out;
}

export interface GateOutcome {
  image: CorpusImage;
  flagged: boolean;
  reason?: string;
}

export interface GateReport {
  outcomes: GateOutcome[];
  /**
   * Non-radiographs flagged / non-radiographs: over every family, the held-out ones, the tuning ones,
   * and the generated families redrawn from an unseen seed.
   */
  detection: { all: Rate; heldOut: Rate; tuning: Rate; unseen: Rate };
  /** Chest films flagged / chest films: the fixture films and the synthetic films of other tests. */
  falsePositives: { fixtureFilms: Rate; syntheticFilms: Rate };
  byFamily: Record<string, Rate>;
}

export interface Rate {
  hits: number;
  total: number;
}

/** Runs every corpus image through decodeImage (quality gates in warn mode) and counts the calls. */
export async function evaluateGate(): Promise<GateReport> {
  const { decodeImage } = await import("@/lib/imaging/decode");
  const unseen = (await generatedNonRadiographs(UNSEEN_SEED)).map((i) => ({ ...i, name: `unseen/${i.name}`, family: `unseen-${i.family}` }));
  const images = [...fixtureChestFilms(), ...(await syntheticFilms()), ...fixtureNonRadiographs(), ...(await generatedNonRadiographs()), ...unseen];
  const outcomes: GateOutcome[] = [];
  for (const image of images) {
    const d = await decodeImage(image.bytes, { qualityGates: "warn" });
    const w = d.warnings.find((x) => x.code === "not_a_radiograph");
    outcomes.push({ image, flagged: !!w, ...(w?.reason ? { reason: w.reason } : {}) });
  }
  const rate = (pick: (o: GateOutcome) => boolean): Rate => {
    const sel = outcomes.filter(pick);
    return { hits: sel.filter((o) => o.flagged).length, total: sel.length };
  };
  const byFamily: Record<string, Rate> = {};
  for (const family of new Set(images.map((i) => i.family))) byFamily[family] = rate((o) => o.image.family === family);
  return {
    outcomes,
    detection: {
      all: rate((o) => !o.image.chest),
      heldOut: rate((o) => !o.image.chest && !TUNING_FAMILIES.has(o.image.family) && !o.image.family.startsWith("unseen-")),
      tuning: rate((o) => !o.image.chest && TUNING_FAMILIES.has(o.image.family)),
      unseen: rate((o) => o.image.family.startsWith("unseen-")),
    },
    falsePositives: { fixtureFilms: rate((o) => o.image.family === "fixture-film"), syntheticFilms: rate((o) => o.image.family === "synthetic-film") },
    byFamily,
  };
}

export const percent = (r: Rate) => (r.total ? `${((100 * r.hits) / r.total).toFixed(1)}% (${r.hits}/${r.total})` : "n/a (0 images)");
