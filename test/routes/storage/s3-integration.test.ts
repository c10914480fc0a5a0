// Integration: the app on S3-compatible object storage. STORAGE_URL points at a real S3-protocol
// server (s3rver on a loopback port) and the app's own routes upload a 12-bit DICOM, then read it back
// every way it is read: the analysis JSON, the display image and thumbnail, the high-bit pixel stream
// (computed from the original in the bucket and cached there) and the signed-off report's PDF with the
// film in it. Nothing lands on local disk.
import { afterAll, vi } from "vitest";

const s3 = await vi.hoisted(async () => {
  const { startS3Server } = await import("@/test/support/s3-server");
  const server = await startS3Server("cxr-app");
  Object.assign(process.env, server.env("site/one"));
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-s3-integration`;
  // Set but unused: the test checks that nothing is written here while STORAGE_URL is set.
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-s3-integration`;
  return server;
});

import fs from "node:fs";
import { count, eq } from "drizzle-orm";
import { gunzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import * as listRoute from "@/app/api/analyses/route";
import * as detailRoute from "@/app/api/analyses/[id]/route";
import * as imageRoute from "@/app/api/analyses/[id]/image/route";
import * as pixelsRoute from "@/app/api/analyses/[id]/pixels/route";
import * as pdfRoute from "@/app/api/analyses/[id]/report.pdf/route";
import * as thumbnailRoute from "@/app/api/analyses/[id]/thumbnail/route";
import { db } from "@/lib/db/client";
import { analyses } from "@/lib/db/schema";
import { storageDir } from "@/lib/env";
import { syntheticPixels, writeDicom } from "@/test/support/imaging/dicom-writer";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";
import { closeAllModels } from "@/lib/inference";
import { startAnalysisWorker, stopAnalysisWorker } from "@/lib/jobs/analysis-worker";
import { signOffReview } from "@/lib/reviews/service";
import { call, createTestUser, type TestUser } from "@/test/support/principals";
import { ensureDemoModel } from "@/test/support/test-model";
import { XRV_LABELS } from "@/test/support/triage/seed";
import { PIXEL_HEADER, PixelHeader } from "@/lib/viewer/pixel-header";
import { S3BlobStore } from "@/lib/storage/s3-store";
import { blobStore } from "@/lib/storage/content-store";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// The bucket seen from outside the app, at its root, to check where objects landed.
const bucket = new S3BlobStore({
  bucket: s3.bucket,
  prefix: "",
  endpoint: s3.endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  forcePathStyle: true,
});

let s3Running = true;
afterAll(async () => {
  await stopAnalysisWorker();
  await closeAllModels();
  bucket.close();
  (blobStore() as S3BlobStore).close();
  if (s3Running) await s3.close();
});

describe("the app on S3 object storage", () => {
  let rad: TestUser;
  const rows = 320;
  const columns = 256;
  const dicom = writeDicom({ rows, columns, bitsAllocated: 16, bitsStored: 12, pixels: Uint16Array.from(syntheticPixels(rows, columns, 4095)) });

  beforeAll(async () => {
    await ensureDemoModel();
    rad = await createTestUser("radiologist");
    await startAnalysisWorker("web");
  });

  it("stores an upload in the bucket and serves JSON, display image, thumbnail, pixels and PDF from it", async () => {
    expect(blobStore().kind).toBe("s3");
    const form = new FormData();
    form.append("file", new File([new Uint8Array(dicom)], "s3.dcm", { type: "application/dicom" }));
    const res = await call(listRoute.POST, "/api/analyses", { method: "POST", headers: { cookie: rad.cookie, prefer: "wait=60" }, body: form });
    expect(res.status, await res.clone().text()).toBe(201);
    const id = ((await res.json()) as { analyses: { id: string }[] }).analyses[0].id;
    const [{ sha }] = await db.select({ sha: analyses.imageSha256 }).from(analyses).where(eq(analyses.id, id));

    // The original, byte for byte, and its renderings, under the configured prefix.
    expect((await bucket.get(`site/one/original/${sha}`)).equals(dicom)).toBe(true);
    for (const kind of ["display", "thumbnail"]) expect(await bucket.exists(`site/one/${kind}/${sha}.png`)).toBe(true);

    const opts = { headers: { cookie: rad.cookie }, params: { id } };
    const detail = await call(detailRoute.GET, `/api/analyses/${id}`, opts);
    expect(detail.status).toBe(200);
    expect(((await detail.json()) as { findings: unknown[] }).findings).toHaveLength(18);

    for (const route of [imageRoute, thumbnailRoute]) {
      const image = await call(route.GET, `/api/analyses/${id}/image`, opts);
      expect(image.status).toBe(200);
      expect(image.headers.get("content-type")).toBe("image/png");
      const png = Buffer.from(await image.arrayBuffer());
      expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    }

    expect(await bucket.exists(`site/one/pixels/${sha}.bin`)).toBe(false);
    const pixels = await call(pixelsRoute.GET, `/api/analyses/${id}/pixels`, opts);
    expect(pixels.status).toBe(200);
    const header = PixelHeader.parse(JSON.parse(pixels.headers.get(PIXEL_HEADER)!));
    expect(header).toMatchObject({ width: columns, height: rows });
    expect(new Uint16Array(gunzipSync(new Uint8Array(await pixels.arrayBuffer())).buffer).length).toBe(rows * columns);
    // Computed once from the original in the bucket, then kept there for every instance.
    expect(await bucket.exists(`site/one/pixels/${sha}.bin`)).toBe(true);

    const decisions = Object.fromEntries(XRV_LABELS.map((l) => [l, "agree" as const]));
    await signOffReview({ actor: rad.principal, analysisId: id, input: { decisions, addedFindings: [], impression: "No acute findings." } });
    const pdf = await call(pdfRoute.GET, `/api/analyses/${id}/report.pdf`, opts);
    expect(pdf.status, await pdf.clone().text()).toBe(200);
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    // The film is embedded only when its display rendering could be read from storage.
    expect(bytes.includes("/Subtype /Image")).toBe(true);

    expect(fs.existsSync(storageDir)).toBe(false);
  });

  it("a rendering gone from the bucket is a 404 problem, not a 500", async () => {
    const form = new FormData();
    form.append("file", new File([new Uint8Array(dicom)], "again.dcm", { type: "application/dicom" }));
    const res = await call(listRoute.POST, "/api/analyses", { method: "POST", headers: { cookie: rad.cookie, prefer: "wait=60" }, body: form });
    expect(res.status).toBe(201);
    const id = ((await res.json()) as { analyses: { id: string }[] }).analyses[0].id;
    const [{ sha }] = await db.select({ sha: analyses.imageSha256 }).from(analyses).where(eq(analyses.id, id));

    await bucket.delete(`site/one/thumbnail/${sha}.png`);
    const thumb = await call(thumbnailRoute.GET, `/api/analyses/${id}/thumbnail`, { headers: { cookie: rad.cookie }, params: { id } });
    expect(thumb.status).toBe(404);
    expect(thumb.headers.get("content-type")).toContain("problem+json");
  });

  it("answers 503 with Retry-After, not 500, while the object storage is unreachable", async () => {
    const form = new FormData();
    form.append("file", new File([new Uint8Array(dicom)], "kept.dcm", { type: "application/dicom" }));
    const res = await call(listRoute.POST, "/api/analyses", { method: "POST", headers: { cookie: rad.cookie, prefer: "wait=60" }, body: form });
    const id = ((await res.json()) as { analyses: { id: string }[] }).analyses[0].id;
    const [{ n: before }] = await db.select({ n: count() }).from(analyses);

    await s3.close();
    s3Running = false;
    const image = await call(imageRoute.GET, `/api/analyses/${id}/image`, { headers: { cookie: rad.cookie }, params: { id } });
    expect(image.status).toBe(503);
    expect(Number(image.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await image.json()).detail).toMatch(/storage is not reachable/);

    const again = new FormData();
    again.append("file", new File([new Uint8Array(await syntheticFilmPng(11, 256))], "new.png", { type: "image/png" }));
    const upload = await call(listRoute.POST, "/api/analyses", { method: "POST", headers: { cookie: rad.cookie }, body: again });
    expect(upload.status).toBe(503);
    expect(upload.headers.get("retry-after")).not.toBeNull();
    // Nothing half-stored: no analysis row without its files.
    const [{ n: after }] = await db.select({ n: count() }).from(analyses);
    expect(after).toBe(before);
  });
});
