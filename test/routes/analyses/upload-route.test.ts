// Integration: POST /api/analyses end to end on the real PostgreSQL, real decoders, the real queue and
// worker and the real (untrained demo) model. Valid PNG and DICOM uploads are stored with 18 findings,
// their files and renderings; oversized, empty and wrong-type files are refused with a 4xx and a
// message and leave no rows and no files behind; a file that only fails to decode in the worker ends
// as a failed analysis with its typed error (the answer, when the upload waited for it).
import { afterAll, vi } from "vitest";

// Counts rows and files exactly, so this file needs a database and a storage directory of its own
// (other test files share the run's database and run at the same time).
const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-upload-route`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-upload-route`;
  // Small enough that an oversized test file is cheap to make, large enough for every fixture.
  process.env.MAX_UPLOAD_MB = "8";
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});
afterAll(() => dropDb());

import fs from "node:fs";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as progressRoute from "@/app/api/analyses/progress/route";
import * as listRoute from "@/app/api/analyses/route";
import * as detailRoute from "@/app/api/analyses/[id]/route";
import * as imageRoute from "@/app/api/analyses/[id]/image/route";
import * as thumbnailRoute from "@/app/api/analyses/[id]/thumbnail/route";
import { createAnalysis } from "@/test/support/create-analysis";
import { db } from "@/lib/db/client";
import { analyses, analysisCams, auditEvents, findings, images } from "@/lib/db/schema";
import { storageDir } from "@/lib/env";
import { closeAllModels } from "@/lib/inference";
import { metrics } from "@/lib/metrics";
import { fixturesPresent, readFixture } from "@/test/support/imaging/fixtures";
import { syntheticPixels, writeDicom } from "@/test/support/imaging/dicom-writer";
import { call, createTestUser, type TestUser } from "@/test/support/principals";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";
import { ensureDemoModel } from "@/test/support/test-model";
import { startAnalysisWorker, stopAnalysisWorker } from "@/lib/jobs/analysis-worker";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

if (!fixturesPresent) console.warn("upload-route.test: shared fixtures absent; using generated PNG and DICOM files instead");

/** A fixture radiograph when present, else one generated here (the test runs either way). */
async function validPng(): Promise<{ name: string; bytes: Buffer }> {
  if (fixturesPresent) return { name: "00000001_000.png", bytes: readFixture("xrv", "images", "00000001_000.png") };
  return { name: "generated.png", bytes: await syntheticFilmPng(7, 384) };
}

function validDicom(): { name: string; bytes: Buffer } {
  if (fixturesPresent) return { name: "dx-12bit-explicit-le.dcm", bytes: readFixture("dicom", "dx-12bit-explicit-le.dcm") };
  const rows = 300;
  const columns = 256;
  return {
    name: "generated.dcm",
    bytes: writeDicom({ rows, columns, bitsAllocated: 16, bitsStored: 12, pixels: Uint16Array.from(syntheticPixels(rows, columns, 4095)) }),
  };
}

function multipart(files: { name: string; bytes: Uint8Array; type?: string }[]): { body: FormData } {
  const form = new FormData();
  for (const f of files) form.append("file", new File([new Uint8Array(f.bytes)], f.name, { type: f.type ?? "application/octet-stream" }));
  return { body: form };
}

/** Every stored file, relative to the storage directory (none exist before the first upload). */
function storedFiles(): string[] {
  if (!fs.existsSync(storageDir)) return [];
  return (fs.readdirSync(storageDir, { recursive: true }) as string[])
    .filter((p) => fs.statSync(path.join(storageDir, p)).isFile())
    .sort();
}

async function rowCounts() {
  const n = async (table: typeof analyses | typeof findings | typeof images | typeof analysisCams) =>
    (await db.select({ n: count() }).from(table))[0].n;
  return { analyses: await n(analyses), findings: await n(findings), images: await n(images), cams: await n(analysisCams) };
}

/** Uploads and waits for the result (`Prefer: wait`), as the tests need the analysis finished. */
async function upload(who: TestUser, files: { name: string; bytes: Uint8Array; type?: string }[]) {
  return call(listRoute.POST, "/api/analyses", { method: "POST", headers: { cookie: who.cookie, prefer: "wait=60" }, ...multipart(files) });
}

describe("POST /api/analyses", () => {
  let radiologist: TestUser;
  let patient: TestUser;

  beforeAll(async () => {
    await ensureDemoModel();
    radiologist = await createTestUser("radiologist");
    patient = await createTestUser("patient");
    await startAnalysisWorker("web");
  });
  afterAll(async () => {
    await stopAnalysisWorker();
    await closeAllModels();
  });

  it("stores a valid PNG: analysis, image, 18 findings, CAM, original and renderings on disk", async () => {
    const png = await validPng();
    const res = await upload(radiologist, [{ ...png, type: "image/png" }]);
    expect(res.status, await res.clone().text()).toBe(201);
    const { analyses: created } = (await res.json()) as { analyses: { id: string; fileName: string }[] };
    expect(created).toHaveLength(1);
    expect(created[0].fileName).toBe(png.name);
    const id = created[0].id;

    const [row] = await db.select().from(analyses).where(eq(analyses.id, id));
    expect(row).toMatchObject({ uploadedBy: radiologist.user.id, status: "completed", fileName: png.name, modelTrained: false });
    expect(row.triageLevel).not.toBeNull();
    for (const stage of ["queue", "decode", "preprocess", "inference", "render", "store", "total"]) expect(row.timings[stage]).toBeGreaterThanOrEqual(0);

    const rows = await db.select().from(findings).where(eq(findings.analysisId, id));
    expect(rows).toHaveLength(18);
    for (const f of rows) {
      expect(f.probability).toBeGreaterThanOrEqual(0);
      expect(f.probability).toBeLessThanOrEqual(1);
      expect(f.calibrated).toBeGreaterThanOrEqual(0);
      expect(f.calibrated).toBeLessThanOrEqual(1);
    }
    const [cam] = await db.select().from(analysisCams).where(eq(analysisCams.analysisId, id));
    expect(cam.shape).toEqual([18, 7, 7]);
    expect(cam.data).toHaveLength(18 * 49);

    const sha = row.imageSha256;
    expect(storedFiles()).toEqual([`display/${sha}.png`, `original/${sha}`, `thumbnail/${sha}.png`]);
    expect(fs.readFileSync(path.join(storageDir, "original", sha)).equals(png.bytes)).toBe(true);

    const audit = await db.select().from(auditEvents).where(eq(auditEvents.targetId, id));
    expect(audit.map((a) => a.action)).toContain("analysis.create");
  });

  it("stores a valid DICOM with its metadata, and serves detail, display image and thumbnail to staff", async () => {
    const dcm = validDicom();
    const res = await upload(radiologist, [{ ...dcm, type: "application/dicom" }]);
    expect(res.status, await res.clone().text()).toBe(201);
    const id = ((await res.json()) as { analyses: { id: string }[] }).analyses[0].id;

    const detail = await call(detailRoute.GET, `/api/analyses/${id}`, { headers: { cookie: radiologist.cookie }, params: { id } });
    expect(detail.status).toBe(200);
    const body = (await detail.json()) as { analysis: { modality: string | null; metadata: { kind: string } }; findings: { label: string }[] };
    expect(body.analysis.metadata.kind).toBe("dicom");
    expect(body.analysis.modality).toBe("DX");
    expect(body.findings).toHaveLength(18);
    expect(new Set(body.findings.map((f) => f.label)).size).toBe(18);

    for (const route of [imageRoute, thumbnailRoute]) {
      const img = await call(route.GET, `/api/analyses/${id}/x`, { headers: { cookie: radiologist.cookie }, params: { id } });
      expect(img.status).toBe(200);
      expect(img.headers.get("content-type")).toBe("image/png");
      expect(Buffer.from(await img.arrayBuffer()).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    }
    const viewed = await db.select().from(auditEvents).where(eq(auditEvents.targetId, id));
    expect(viewed.map((a) => a.action)).toEqual(expect.arrayContaining(["analysis.create", "analysis.view"]));

    // Patients read reports through shares, never the staff API; an unknown id is a plain 404.
    const asPatient = await call(detailRoute.GET, `/api/analyses/${id}`, { headers: { cookie: patient.cookie }, params: { id } });
    expect(asPatient.status).toBe(403);
    const missing = "00000000-0000-4000-8000-000000000000";
    const notThere = await call(detailRoute.GET, `/api/analyses/${missing}`, { headers: { cookie: radiologist.cookie }, params: { id: missing } });
    expect(notThere.status).toBe(404);
  });

  it("reuses the stored image for an identical re-upload: a new analysis, no new image row or file", async () => {
    const png = await validPng();
    const before = await rowCounts();
    const filesBefore = storedFiles();
    const res = await upload(radiologist, [{ ...png, name: "again.png", type: "image/png" }]);
    expect(res.status).toBe(201);
    const after = await rowCounts();
    expect(after).toEqual({ analyses: before.analyses + 1, findings: before.findings + 18, images: before.images, cams: before.cams + 1 });
    expect(storedFiles()).toEqual(filesBefore);
  });

  it("lists the team's analyses newest first with their top finding", async () => {
    const res = await call(listRoute.GET, "/api/analyses", { headers: { cookie: radiologist.cookie }, query: { pageSize: "2" } });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { total: number; items: { fileName: string; topFinding: { label: string } | null }[] };
    expect(page.total).toBe(3);
    expect(page.items.map((i) => i.fileName)).toEqual(["again.png", validDicom().name]);
    expect(page.items[0].topFinding?.label).toBeTruthy();
  });

  it("records every stage's duration in the metrics, as the v1 API does (one upload loop)", async () => {
    const storeCount = async () =>
      Number((await metrics().registry.metrics()).match(/cxr_analysis_stage_duration_seconds_count\{stage="store"\} (\d+)/)?.[1] ?? 0);
    const before = await storeCount();
    const png = await validPng();
    const res = await upload(radiologist, [{ ...png, type: "image/png" }]);
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await storeCount()).toBe(before + 1);
  });

  // `inWorker`: the header is sound, so the file is accepted and only fails to decode in the worker.
  const bad: { title: string; status: number; files: () => Promise<{ name: string; bytes: Uint8Array; type?: string }[]>; message: RegExp; inWorker?: true }[] = [
    {
      title: "a corrupt PNG (valid signature, garbage after it)",
      status: 422,
      files: async () => [{ name: "corrupt.png", type: "image/png", bytes: Buffer.concat([PNG_SIGNATURE, Buffer.alloc(4000, 0x5a)]) }],
      message: /damaged|decoded|corrupt|truncated|invalid/i,
    },
    {
      title: "a truncated copy of a valid PNG",
      status: 422,
      files: async () => {
        const png = await validPng();
        return [{ name: "truncated.png", type: "image/png", bytes: png.bytes.subarray(0, Math.floor(png.bytes.length / 2)) }];
      },
      message: /damaged|decoded|corrupt|truncated|incomplete|invalid/i,
      inWorker: true,
    },
    {
      title: "an oversized file (over MAX_UPLOAD_MB)",
      status: 413,
      files: async () => [{ name: "huge.png", type: "image/png", bytes: Buffer.concat([PNG_SIGNATURE, Buffer.alloc(9 * 1024 * 1024, 1)]) }],
      message: /larger than|limit/i,
    },
    {
      title: "an empty file",
      status: 400,
      files: async () => [{ name: "empty.png", type: "image/png", bytes: new Uint8Array(0) }],
      message: /empty/i,
    },
    {
      title: "a text file",
      status: 415,
      files: async () => [{ name: "notes.txt", type: "text/plain", bytes: Buffer.from("Patient notes, not an image.\n".repeat(40)) }],
      message: /PNG|JPEG|DICOM|format|supported/i,
    },
    {
      title: "a PDF",
      status: 415,
      files: async () => [{ name: "report.pdf", type: "application/pdf", bytes: Buffer.from(`%PDF-1.7\n${"0".repeat(2000)}\n%%EOF\n`) }],
      message: /PNG|JPEG|DICOM|format|supported/i,
    },
  ];

  for (const c of bad) {
    const outcome = c.inWorker ? "a failed analysis with its typed error, no findings and no renderings" : "no rows or files";
    it(`refuses ${c.title} with ${c.status} and a message, leaving ${outcome}`, async () => {
      const before = await rowCounts();
      const filesBefore = storedFiles();
      const files = await c.files();
      const res = await upload(radiologist, files);
      expect(res.status).toBe(c.status);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const problem = (await res.json()) as { detail: string; status: number; code: string; analysisId?: string };
      expect(problem.status).toBe(c.status);
      expect(problem.detail).toMatch(c.message);
      if (!c.inWorker) {
        expect(await rowCounts()).toEqual(before);
        expect(storedFiles()).toEqual(filesBefore);
        return;
      }
      expect(await rowCounts()).toEqual({ ...before, analyses: before.analyses + 1, images: before.images + 1 });
      const [row] = await db.select().from(analyses).where(eq(analyses.id, problem.analysisId!));
      expect(row).toMatchObject({ status: "failed", errorCode: problem.code, error: problem.detail, triageLevel: null });
      expect(storedFiles()).toEqual([...filesBefore, `original/${row.imageSha256}`].sort());
      await db.delete(analyses).where(eq(analyses.id, row.id));
    });
  }

  it("refuses requests without files, non-multipart bodies, patients and anonymous callers", async () => {
    const before = await rowCounts();
    const none = await call(listRoute.POST, "/api/analyses", { method: "POST", headers: { cookie: radiologist.cookie }, body: new FormData() });
    expect(none.status).toBe(400);
    const json = await call(listRoute.POST, "/api/analyses", { method: "POST", headers: { cookie: radiologist.cookie }, json: { file: "x" } });
    expect(json.status).toBe(415);
    const png = await validPng();
    expect((await upload(patient, [png])).status).toBe(403);
    const anonymous = await call(listRoute.POST, "/api/analyses", { method: "POST", ...multipart([png]) });
    expect(anonymous.status).toBe(401);
    expect(await rowCounts()).toEqual(before);
  });

  it("removes the files it wrote when storing the rows fails (uploader no longer exists)", async () => {
    const before = await rowCounts();
    const filesBefore = storedFiles();
    const ghost = { ...radiologist.principal, userId: "00000000-0000-4000-8000-00000000dead" };
    const fresh = await syntheticFilmPng(99, 256);
    await expect(createAnalysis({ actor: ghost, fileName: "ghost.png", bytes: fresh })).rejects.toThrow();
    expect(await rowCounts()).toEqual(before);
    expect(storedFiles()).toEqual(filesBefore);
  });

  it("without Prefer: wait, answers 202 as soon as the file is stored and queued", async () => {
    const png = { name: "queued.png", bytes: await syntheticFilmPng(3, 256) };
    const res = await call(listRoute.POST, "/api/analyses", { method: "POST", headers: { cookie: radiologist.cookie }, ...multipart([png]) });
    expect(res.status).toBe(202);
    const { analyses: created } = (await res.json()) as { analyses: { id: string; status: string }[] };
    expect(["queued", "processing", "completed"]).toContain(created[0].status);
    const progress = async () =>
      ((await (await call(progressRoute.GET, "/api/analyses/progress", { headers: { cookie: radiologist.cookie }, query: { ids: created[0].id } })).json()) as {
        analyses: { id: string; status: string; queuePosition: number | null }[];
      }).analyses[0];
    await expect.poll(async () => (await progress()).status, { timeout: 60_000, interval: 300 }).toBe("completed");
    expect((await progress()).queuePosition).toBeNull();
  });
});
