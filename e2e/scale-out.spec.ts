// Scale-out on one machine: two web instances (A and B) and two `npm run worker` processes of the built
// app (test/support/app-cluster.ts), sharing one PostgreSQL database and a real S3-protocol server, and
// nothing else: each has a data directory of its own. Films uploaded on A through the v1 API are read on
// B every way the app serves them (the JSON of both APIs, display image and thumbnail, DICOM SR and
// Secondary Captures, the high-bit pixel stream, the signed-off report as PDF and FHIR), the same as A
// serves them; a radiologist signed in on B opens and signs off an analysis A took; both workers analysed
// some of the uploads; and an API key's own rate limit is one budget across A and B.
import crypto from "node:crypto";
import { expect, test, type APIRequestContext, type Browser } from "@playwright/test";
import { gunzipSync } from "fflate";
import { testInstance } from "../test/support/dicomweb/instances";
import sharp from "sharp";
import { syntheticFilmPng } from "../test/support/imaging/synthetic-film";
import type { SeededUser } from "../test/support/accounts";
import { startAppCluster, type AppCluster } from "../test/support/app-cluster";
import { extractPdfText } from "../test/support/pdf-text";
import { startS3Server, type TestS3Server } from "../test/support/s3-server";
import { PIXEL_HEADER, PixelHeader } from "../lib/viewer/pixel-header";
import { SignInPage } from "./pages/sign-in-page";
import { ReviewPanel } from "./pages/review-panel";
import { ResultPage } from "./pages/result-page";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_FILMS = 14;
const IMPRESSION = "Read on instance B of a two-instance deployment.";
const METRICS_TOKEN = "scale-out-metrics-token";

interface Upload {
  name: string;
  type: string;
  bytes: Buffer;
  highBit: boolean;
}

interface Uploaded extends Upload {
  id: string;
  image: { width: number; height: number };
  findings: unknown[];
}

let s3: TestS3Server;
let cluster: AppCluster;
let reader: SeededUser;
let key: string;
let A: string;
let B: string;

// One story in order, against processes this file starts (several minutes of CPU on a 2-core machine).
test.describe.configure({ mode: "serial", timeout: 300_000 });

test.beforeAll(async () => {
  // Four processes of the built app start at once on a loaded machine.
  test.setTimeout(300_000);
  s3 = await startS3Server("cxr-scale");
  cluster = await startAppCluster({
    web: 2,
    workers: 2,
    databasePrefix: "cxr_e2e_scale",
    env: {
      ...s3.env("two-instances"),
      // Small claims, so that sixteen uploads are spread over both workers rather than taken by the
      // first one to look; one inference thread each, as two workers share the two cores.
      INFERENCE_BATCH: "2",
      INFERENCE_CONCURRENCY: "1",
      ORT_INTRA_OP_THREADS: "1",
      ORT_ALLOW_SPINNING: "false",
      METRICS_TOKEN,
    },
  });
  [A, B] = cluster.web.map((w) => w.baseUrl);
  [reader] = cluster.createUsers([["radiologist", "Dr Scale Reader"]]);
  key = cluster.createApiKey({ email: reader.email, name: "scale", scopes: ["analyses:read", "analyses:write", "reports:read", "identifiers:read"] });
});

test.afterAll(async () => {
  test.setTimeout(60_000);
  await cluster?.stop();
  await s3?.close();
});

function films(): Promise<Upload[]> {
  // 12-bit DX films as a modality writes them (patient, study and instance UIDs), so that DICOM results
  // can be made from them.
  const dicom = (seed: number): Upload => ({ name: `scale-${seed}.dcm`, type: "application/dicom", bytes: testInstance("dx", seed).bytes, highBit: true });
  return Promise.all([
    ...Array.from({ length: PNG_FILMS }, async (_, i) => ({ name: `scale-${i}.png`, type: "image/png", bytes: await syntheticFilmPng(100 + i, 320), highBit: false })),
    dicom(1),
    dicom(2),
  ]);
}

/**
 * One upload on A that waits for its result. A 503 (the database busy for a moment, as on a machine
 * shared with other test runs) is retried as the API asks: after Retry-After, with the same
 * Idempotency-Key, so a retry can never make a second analysis.
 */
async function uploadOnA(request: APIRequestContext, upload: Upload): Promise<Uploaded> {
  const idempotencyKey = crypto.randomUUID();
  for (let attempt = 1; ; attempt++) {
    const res = await request.post(`${A}/api/v1/analyses`, {
      headers: { authorization: `Bearer ${key}`, prefer: "wait=60", "idempotency-key": idempotencyKey },
      multipart: { file: { name: upload.name, mimeType: upload.type, buffer: upload.bytes } },
      timeout: 120_000,
    });
    if (res.status() === 503 && attempt < 10) {
      expect(Number(res.headers()["retry-after"])).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 1000 * Math.min(3, Number(res.headers()["retry-after"]))));
      continue;
    }
    expect(res.status(), await res.text()).toBe(201);
    const body = (await res.json()) as Omit<Uploaded, keyof Upload> & { status: string };
    expect(body.status).toBe("completed");
    expect(body.findings).toHaveLength(18);
    return { ...upload, id: body.id, image: body.image, findings: body.findings };
  }
}

async function bytes(request: APIRequestContext, url: string, status = 200): Promise<{ body: Buffer; headers: Record<string, string> }> {
  const res = await request.get(url);
  expect(res.status(), `${url}: ${status === 200 ? await res.text().catch(() => "") : ""}`).toBe(status);
  return { body: await res.body(), headers: res.headers() };
}

async function signedInOnB(browser: Browser) {
  // The session cookie is for the host, so the same browser is signed in on A too, as it would be
  // behind one load balancer: a session made by B must hold on A, which shares only the database and
  // AUTH_SECRET with it.
  const context = await browser.newContext({ baseURL: B });
  const page = await context.newPage();
  const signInPage = new SignInPage(page);
  await signInPage.goto();
  await signInPage.signIn(reader.email, reader.password);
  await expect(page).not.toHaveURL(/\/sign-in/);
  return { context, page };
}

let uploaded: Uploaded[] = [];

test("films uploaded on A are analysed, and both workers took some of them", async ({ request }) => {
  uploaded = await Promise.all((await films()).map((f) => uploadOnA(request, f)));

  const rows = await cluster.sql<{ worker_id: string | null; n: number }[]>`
    select worker_id, count(*)::int as n from analyses where id = any(${uploaded.map((u) => u.id)}::uuid[]) group by worker_id`;
  const byWorker = Object.fromEntries(rows.map((r) => [r.worker_id ?? "none", r.n]));
  const workerIds = cluster.workers.map((w) => w.workerId);
  // Every analysis was run by one of the two worker processes, and each of them ran at least one.
  expect(Object.keys(byWorker).sort()).toEqual([...workerIds].sort());
  for (const id of workerIds) expect(byWorker[id]).toBeGreaterThan(0);
  expect(rows.reduce((s, r) => s + r.n, 0)).toBe(uploaded.length);

  // Operations see the same on either instance: each worker's count in /api/metrics (from the workers'
  // heartbeats, every few seconds) comes to what it ran.
  const done = async (base: string) => {
    const text = await (await request.get(`${base}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    return Object.fromEntries(workerIds.map((id) => [id, Number(new RegExp(`^cxr_worker_analyses_done\\{worker="${id}"[^}]*\\} (\\d+)$`, "m").exec(text)?.[1] ?? -1)]));
  };
  for (const base of [A, B]) await expect.poll(() => done(base), { timeout: 30_000 }).toEqual(byWorker);
});

test("B serves every analysis A took: the JSON, the display image and thumbnail, DICOM results, the pixel stream", async ({ request, browser }) => {
  expect(uploaded).toHaveLength(PNG_FILMS + 2);
  const { context } = await signedInOnB(browser);
  const session = context.request;
  try {
    for (const u of uploaded) {
      // The v1 API with the key, on B: the same completed analysis with the same findings.
      const v1 = await request.get(`${B}/api/v1/analyses/${u.id}`, { headers: { authorization: `Bearer ${key}` } });
      expect(v1.status()).toBe(200);
      const detail = (await v1.json()) as { status: string; findings: unknown[]; fileName: string };
      expect(detail).toMatchObject({ status: "completed", fileName: u.name });
      expect(detail.findings).toEqual(u.findings);

      // The session API on both instances.
      const [onA, onB] = await Promise.all([A, B].map(async (base) => JSON.parse((await bytes(session, `${base}/api/analyses/${u.id}`)).body.toString())));
      expect(onB.findings).toHaveLength(18);
      expect(onB.findings).toEqual(onA.findings);

      for (const kind of ["image", "thumbnail"]) {
        const [a, b] = await Promise.all([A, B].map((base) => bytes(session, `${base}/api/analyses/${u.id}/${kind}`)));
        expect(b.headers["content-type"]).toBe("image/png");
        expect(b.body.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
        expect(b.body.equals(a.body), `${kind} of ${u.name}: the same bytes from A and B`).toBe(true);
        const meta = await sharp(b.body).metadata();
        expect(meta.width).toBeGreaterThan(0);
        expect(meta.height).toBeGreaterThan(0);
      }

      if (!u.highBit) {
        // An 8-bit film has nothing beyond its display rendering: 204 on both.
        for (const base of [A, B]) await bytes(session, `${base}/api/analyses/${u.id}/pixels`, 204);
        continue;
      }
      // DICOM results on B, made from the original A stored: the SR copies the file's own attributes,
      // the Secondary Captures burn the heatmaps into the display rendering (one per positive finding).
      const auth = { authorization: `Bearer ${key}` };
      const sr = await request.get(`${B}/api/v1/analyses/${u.id}/dicom/sr`, { headers: auth });
      expect(sr.status(), await sr.text().catch(() => "")).toBe(200);
      expect((await sr.body()).subarray(128, 132).toString("latin1")).toBe("DICM");
      const positive = (u.findings as { positive: boolean }[]).some((f) => f.positive);
      const sc = await request.get(`${B}/api/v1/analyses/${u.id}/dicom/sc`, { headers: auth });
      expect(sc.status()).toBe(positive ? 200 : 404);
      if (positive) expect((await sc.body()).includes("DICM")).toBe(true);

      // The 12-bit DICOM's stored values, computed by whichever instance asks first and kept in the
      // bucket: B serves what A serves, and the values are the file's own.
      const b = await bytes(session, `${B}/api/analyses/${u.id}/pixels`);
      const a = await bytes(session, `${A}/api/analyses/${u.id}/pixels`);
      const header = PixelHeader.parse(JSON.parse(b.headers[PIXEL_HEADER]));
      expect(header).toMatchObject({ width: u.image.width, height: u.image.height, bitsStored: 12 });
      expect(b.body.equals(a.body)).toBe(true);
      const raw = gunzipSync(new Uint8Array(b.body));
      const values = new Uint16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2);
      expect(values.length).toBe(u.image.width * u.image.height);
      expect(values.reduce((m, v) => Math.max(m, v), 0) + header.offset).toBeGreaterThan(255);
    }
  } finally {
    await context.close();
  }
});

test("a radiologist signed in on B opens an analysis A took, signs it off, and both serve its report", async ({ request, browser }) => {
  const film = uploaded.find((u) => u.highBit)!;
  const { context, page } = await signedInOnB(browser);
  try {
    const result = new ResultPage(page);
    const response = await result.goto(film.id);
    expect(response?.status()).toBe(200);
    // The viewer draws the film B read from the bucket.
    await result.expectLoaded();
    await expect(result.findingRows).toHaveCount(18);
    const review = new ReviewPanel(page);
    await review.agreeRemaining();
    await review.impression(IMPRESSION);
    await review.signOff();

    for (const base of [B, A]) {
      const pdf = await bytes(context.request, `${base}/api/analyses/${film.id}/report.pdf`);
      expect(pdf.headers["content-type"]).toBe("application/pdf");
      expect(pdf.body.subarray(0, 5).toString()).toBe("%PDF-");
      // The film is embedded only when the instance could read its display rendering from the bucket.
      expect(pdf.body.includes("/Subtype /Image")).toBe(true);
      expect((await extractPdfText(pdf.body)).replace(/\s+/g, " ")).toContain(IMPRESSION);
    }
  } finally {
    await context.close();
  }

  // The same report through the v1 API on B.
  const fhir = await request.get(`${B}/api/v1/analyses/${film.id}/fhir`, { headers: { authorization: `Bearer ${key}` } });
  expect(fhir.status()).toBe(200);
  const bundle = (await fhir.json()) as { resourceType: string; entry: { resource: { resourceType: string; conclusion?: string } }[] };
  expect(bundle.resourceType).toBe("Bundle");
  expect(bundle.entry.find((e) => e.resource.resourceType === "DiagnosticReport")?.resource.conclusion).toBe(IMPRESSION);
});

test("an API key's own rate limit is one budget across A and B", async ({ request }) => {
  // Two requests a minute: a budget kept per instance would let each instance allow two.
  const limited = cluster.createApiKey({ email: reader.email, name: "scale limited", scopes: ["analyses:read"], rateLimitPerMinute: 2 });
  const get = async (base: string) => {
    const res = await request.get(`${base}/api/v1/analyses`, { headers: { authorization: `Bearer ${limited}` } });
    return { status: res.status(), retryAfter: res.headers()["retry-after"] };
  };
  expect((await get(A)).status).toBe(200);
  expect((await get(B)).status).toBe(200);
  for (const base of [A, B]) {
    const refused = await get(base);
    expect(refused.status, `third and fourth request (on ${base === A ? "A" : "B"})`).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
  }
});
