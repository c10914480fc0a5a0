// Integration: a real onnxruntime model whose outputs are pushed to logits of about ±1000 (a white page,
// a checkerboard or a damaged frame drives even a trained network to -200 and beyond) runs through the
// whole product: upload -> storage -> staff and v1 JSON -> review -> PDF -> FHIR -> statistics CSV.
// Nothing may fail on the numbers: no 500, every score shown finite.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-extreme-logits`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-extreme-logits`;
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});
afterAll(() => dropDb());

import { eq } from "drizzle-orm";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { startAnalysisWorker, stopAnalysisWorker } from "@/lib/jobs/analysis-worker";
import * as listRoute from "@/app/api/analyses/route";
import * as detailRoute from "@/app/api/analyses/[id]/route";
import * as pdfRoute from "@/app/api/analyses/[id]/report.pdf/route";
import * as signOffRoute from "@/app/api/analyses/[id]/review/sign-off/route";
import * as statsRoute from "@/app/api/stats/[chart]/route";
import * as v1DetailRoute from "@/app/api/v1/analyses/[id]/route";
import * as fhirRoute from "@/app/api/v1/analyses/[id]/fhir/route";
import { db } from "@/lib/db/client";
import { findings } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { closeAllModels } from "@/lib/inference";
import { CATALOG, DEFAULT_MODEL_NAME } from "@/lib/model-builder/catalog";
import { demoWeights } from "@/lib/model-builder/demo-model";
import { buildDenseNetGraph } from "@/lib/model-builder/densenet/build-graph";
import type { DenseNetConfig } from "@/lib/model-builder/densenet/weights";
import { writeModelDir } from "@/lib/model-builder/model-dir-writer";
import { CHART_NAMES, loadAllCharts } from "@/lib/stats/charts";
import { extractPdfText } from "@/test/support/pdf-text";
import { call, createTestKey, createTestUser, type TestUser } from "@/test/support/principals";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";
import { syntheticPixels, writeDicom } from "@/test/support/imaging/dicom-writer";

const SMALL: DenseNetConfig = { inChannels: 1, initFeatures: 16, growthRate: 8, bottleneck: 16, blocks: [2, 2], numFeatures: 32, numClasses: 18 };
/** Per output: ±1000, ±200 (the fuzz run's lost analyses) and a flat CAM (weights zeroed) on some. */
const BIAS = Array.from({ length: 18 }, (_, c) => (c % 4 === 0 ? 1000 : c % 4 === 1 ? -1000 : c % 4 === 2 ? -200 : 200));
const FLAT = new Set([0, 1]);

async function buildExtremeModel(dir: string) {
  const w = await demoWeights(7, SMALL);
  for (let c = 0; c < 18; c++) {
    const row = w.classifier.weight.subarray(c * SMALL.numFeatures, (c + 1) * SMALL.numFeatures);
    if (FLAT.has(c)) row.fill(0);
    w.classifier.bias[c] = BIAS[c];
  }
  const entry = CATALOG[DEFAULT_MODEL_NAME];
  await writeModelDir(dir, buildDenseNetGraph(w).onnx, {
    name: "extreme-logits",
    description: "test model with saturated outputs",
    config: w.config,
    labels: entry.labels,
    op_threshs: entry.op_threshs,
    checkpoint: null,
    seed: 7,
    trained: false,
  });
}

const finiteIn = (text: string) => !/\b(NaN|Infinity)\b/.test(text);

describe("logits of ±1000 through storage, API, PDF, FHIR and statistics", () => {
  let radiologist: TestUser;
  let id: string;
  let labels: string[];

  beforeAll(async () => {
    await buildExtremeModel(env.MODEL_DIR);
    radiologist = await createTestUser("radiologist");
    const form = new FormData();
    form.append("file", new File([new Uint8Array(await syntheticFilmPng(11, 320))], "saturated.png", { type: "image/png" }));
    await startAnalysisWorker("web");
    const res = await call(listRoute.POST, "/api/analyses", { method: "POST", headers: { cookie: radiologist.cookie, prefer: "wait=60" }, body: form });
    expect(res.status, await res.clone().text()).toBe(201);
    id = ((await res.json()) as { analyses: { id: string }[] }).analyses[0].id;
  });
  afterAll(async () => {
    await stopAnalysisWorker();
    await closeAllModels();
  });

  it("stores every score, including probabilities far below the smallest single-precision float", async () => {
    const rows = await db.select().from(findings).where(eq(findings.analysisId, id)).orderBy(findings.position);
    expect(rows).toHaveLength(18);
    labels = rows.map((r) => r.label);
    for (const r of rows) {
      expect(Number.isFinite(r.logit) && Number.isFinite(r.probability) && Number.isFinite(r.calibrated)).toBe(true);
      expect(Math.abs(r.logit)).toBeGreaterThan(100);
    }
    const minus200 = rows.filter((_, c) => BIAS[c] === -200);
    // sigmoid(-200) ~ 1e-87: representable in double precision only.
    for (const r of minus200) expect(r.probability).toBeGreaterThan(0);
    for (const r of minus200) expect(r.probability).toBeLessThan(1e-60);
  });

  it("serves the staff and v1 JSON with finite numbers", async () => {
    const detail = await call(detailRoute.GET, `/api/analyses/${id}`, { headers: { cookie: radiologist.cookie }, params: { id } });
    expect(detail.status).toBe(200);
    const text = await detail.text();
    expect(finiteIn(text)).toBe(true);
    const body = JSON.parse(text) as { findings: { calibrated: number; probability: number }[] };
    for (const f of body.findings) expect(f.calibrated >= 0 && f.calibrated <= 1 && f.probability >= 0 && f.probability <= 1).toBe(true);

    const { key } = await createTestKey(radiologist.user);
    const v1 = await call(v1DetailRoute.GET, `/api/v1/analyses/${id}`, { headers: { authorization: `Bearer ${key}` }, params: { id } });
    expect(v1.status, await v1.clone().text()).toBe(200);
    const v1Body = (await v1.json()) as { findings: { logit: number }[] };
    v1Body.findings.forEach((f, c) => expect(Math.abs(f.logit - BIAS[c]), `output ${c}`).toBeLessThan(60));
  });

  it("signs off, then renders the PDF and the FHIR bundle with finite scores", async () => {
    const decisions = Object.fromEntries(labels.filter(Boolean).map((l) => [l, "agree"]));
    const signed = await call(signOffRoute.POST, `/api/analyses/${id}/review/sign-off`, {
      method: "POST",
      headers: { cookie: radiologist.cookie, origin: "http://localhost:3000", "sec-fetch-site": "same-origin" },
      json: { decisions, impression: "Saturated scores." },
      params: { id },
    });
    expect(signed.status, await signed.clone().text()).toBe(200);

    const pdf = await call(pdfRoute.GET, `/api/analyses/${id}/report.pdf`, { headers: { cookie: radiologist.cookie }, params: { id } });
    expect(pdf.status).toBe(200);
    const pdfText = await extractPdfText(Buffer.from(await pdf.arrayBuffer()));
    expect(pdfText).toMatch(/1\.00/);
    expect(pdfText).toMatch(/0\.00/);
    expect(finiteIn(pdfText)).toBe(true);

    const { key } = await createTestKey(radiologist.user, ["reports:read"]);
    const fhir = await call(fhirRoute.GET, `/api/v1/analyses/${id}/fhir`, { headers: { authorization: `Bearer ${key}` }, params: { id } });
    expect(fhir.status, await fhir.clone().text()).toBe(200);
    const fhirText = await fhir.text();
    expect(finiteIn(fhirText)).toBe(true);
    const values = [...fhirText.matchAll(/"value":(-?[\d.e+-]+)/g)].map((m) => Number(m[1]));
    expect(values.length).toBeGreaterThanOrEqual(18);
    for (const v of values) expect(v >= 0 && v <= 1).toBe(true);
  });

  it("stores and shows the fuzz run's lost films: a white page, a checkerboard, signed data that is unsigned", async () => {
    const S = 320;
    const white = await sharp(Buffer.alloc(S * S, 255), { raw: { width: S, height: S, channels: 1 } }).png().toBuffer();
    const board = Buffer.alloc(S * S);
    for (let i = 0; i < board.length; i++) board[i] = ((i % S >> 4) + ((i / S) >> 4)) % 2 ? 255 : 0;
    const checkerboard = await sharp(board, { raw: { width: S, height: S, channels: 1 } }).png().toBuffer();
    const signed = writeDicom({ rows: S, columns: S, bitsStored: 12, pixelRepresentation: 1, pixels: Uint16Array.from(syntheticPixels(S, S, 4095)) });
    for (const [name, bytes] of [["white.png", white], ["checkerboard.png", checkerboard], ["signed.dcm", signed]] as const) {
      const form = new FormData();
      form.append("file", new File([new Uint8Array(bytes)], name));
      const res = await call(listRoute.POST, "/api/analyses", { method: "POST", headers: { cookie: radiologist.cookie, prefer: "wait=60" }, body: form });
      expect(res.status, `${name}: ${await res.clone().text()}`).toBe(201);
      const created = ((await res.json()) as { analyses: { id: string }[] }).analyses[0].id;
      const detail = await call(detailRoute.GET, `/api/analyses/${created}`, { headers: { cookie: radiologist.cookie }, params: { id: created } });
      expect(detail.status, name).toBe(200);
      const body = (await detail.json()) as { findings: unknown[]; analysis: { warnings: { code: string; reason?: string }[]; triageLevel: string } };
      expect(body.findings, name).toHaveLength(18);
      if (name !== "signed.dcm") {
        expect(body.analysis.warnings.map((w) => w.code), name).toContain("not_a_radiograph");
        expect(body.analysis.triageLevel, name).toBe("not_assessable");
        expect(body.analysis.warnings.find((w) => w.code === "not_a_radiograph")?.reason, name).toMatch(/^(single_tone|flat_regions|fine_texture)$/);
      }
    }
  });

  it("charts and their CSV stay finite", async () => {
    const data = await loadAllCharts({});
    // The last processing-time bucket is open-ended by design (upToMs: Infinity); every other number is finite.
    const numbers = JSON.stringify(data, (k, v) => (k === "upToMs" ? undefined : typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
    expect(finiteIn(numbers)).toBe(true);
    for (const chart of CHART_NAMES) {
      const res = await call(statsRoute.GET, `/api/stats/${chart}`, { headers: { cookie: radiologist.cookie }, params: { chart } });
      expect(res.status, chart).toBe(200);
      expect(finiteIn(await res.text()), chart).toBe(true);
    }
  });
});
