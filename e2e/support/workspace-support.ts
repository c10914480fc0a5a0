// Setup steps for e2e/workspace.spec.ts that belong to other parts of the app: uploading through the
// real upload route (real decoders and the real model), reading an analysis' findings, and an admin
// changing the site's triage thresholds through the settings route.
import fs from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext } from "@playwright/test";
import sharp from "sharp";

export interface StudyFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

// Relative to the repo root, where Playwright runs: CI clones the repo with shared/ beside it.
const fixtures = path.resolve("../shared/fixtures");
export const fixturesPresent = fs.existsSync(path.join(fixtures, "xrv", "reference.json"));

/** A grey film drawn here when the fixtures are absent: two dark lung fields, varied by `seed`. */
async function drawnFilm(seed: number): Promise<Buffer> {
  const size = 512;
  const px = Buffer.alloc(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = (x - size / 2) / (size / 2);
      const dy = (y - size / 2) / (size / 2);
      const lungs = Math.exp(-((Math.abs(dx) - 0.42 - 0.04 * seed) ** 2) / (0.04 + 0.01 * seed) - (dy * dy) / 0.5);
      const apex = seed % 2 ? 40 * Math.exp(-((dx - 0.4) ** 2 + (dy + 0.6) ** 2) / 0.02) : 0;
      px[y * size + x] = Math.max(0, Math.min(255, Math.round(215 - 160 * lungs + apex + 6 * Math.sin(x * 0.3 + seed))));
    }
  }
  return sharp(px, { raw: { width: size, height: size, channels: 1 } }).png().toBuffer();
}

/**
 * Three studies with file names carrying `tag` (so a search finds exactly these): the fixture films when
 * present (the second is a 12-bit DICOM, windowed on its stored values), else films drawn here.
 */
export async function studyFiles(tag: string): Promise<StudyFile[]> {
  if (fixturesPresent) {
    const read = (...p: string[]) => fs.readFileSync(path.join(fixtures, ...p));
    return [
      { name: `${tag}-a.png`, mimeType: "image/png", buffer: read("xrv", "images", "00000001_000.png") },
      { name: `${tag}-b.dcm`, mimeType: "application/dicom", buffer: read("dicom", "dx-12bit-explicit-le.dcm") },
      { name: `${tag}-c.png`, mimeType: "image/png", buffer: read("xrv", "images", "h0001.png") },
    ];
  }
  return Promise.all([0, 1, 2].map(async (i) => ({ name: `${tag}-${"abc"[i]}.png`, mimeType: "image/png", buffer: await drawnFilm(i) })));
}

export async function upload(request: APIRequestContext, file: StudyFile): Promise<string> {
  const res = await request.post("/api/analyses", { multipart: { file } });
  expect(res.status(), await res.text()).toBe(201);
  const body = (await res.json()) as { analyses: { id: string }[] };
  return body.analyses[0].id;
}

export async function calibratedScores(request: APIRequestContext, id: string): Promise<Record<string, number>> {
  const res = await request.get(`/api/analyses/${id}`);
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { findings: { label: string; calibrated: number }[] };
  return Object.fromEntries(body.findings.map((f) => [f.label, f.calibrated]));
}

/** Sets site thresholds as an admin would (null: back to the model's operating point). */
export async function setThresholds(adminRequest: APIRequestContext, thresholds: Record<string, number | null>) {
  const res = await adminRequest.patch("/api/settings/triage", { data: { thresholds } });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as { labels: { label: string; threshold: number }[]; recomputed: { changed: number } };
}

export async function triageLabels(adminRequest: APIRequestContext): Promise<string[]> {
  const res = await adminRequest.get("/api/settings/triage");
  expect(res.status()).toBe(200);
  return ((await res.json()) as { labels: { label: string }[] }).labels.map((l) => l.label);
}

/** Today and tomorrow in the browser's local calendar (what the date filters mean). */
export function localDays(): { today: string; tomorrow: string } {
  const fmt = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  const now = new Date();
  return { today: fmt(now), tomorrow: fmt(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1)) };
}
